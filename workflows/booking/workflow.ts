import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, proxyLocalActivities, setHandler, type ActivityOptions } from '@temporalio/workflow';
import type { BookingActivities } from '../../activities/bookings/types.ts';
import {
  decide,
  DEFAULT_CANCELLATION_POLICY,
  TERMINAL_STATES,
  type Actor,
  type BookingAction,
  type BookingFacts,
  type BookingState,
} from '../../domain/bookings/lifecycle.ts';
import { answerableInTime, answerDeadline } from '../../domain/bookings/answer-deadline.ts';
import { answerRefusal, partyOf, proposalDeadline, proposalRefusal, type RescheduleProposal, type RescheduleStep } from '../../domain/bookings/reschedule.ts';
import {
  acceptRescheduleUpdate,
  BOOKING_UPDATES,
  bookingStateQuery,
  declineRescheduleUpdate,
  proposeRescheduleUpdate,
  type RescheduleAnswer,
  type RescheduleRequest,
  type BookingSnapshot,
  type BookingTransition,
  type BookingUpdateName,
  type BookingWorkflowInput,
  type TransitionRequest,
} from './definitions.ts';

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} satisfies ActivityOptions;
const { recordBookingTransition, sendBookingReminder, recordRescheduleStep } = proxyActivities<BookingActivities>(ACTIVITY_OPTIONS);
/**
 * Answer deadlines fall due in bursts (every request a provider let lapse): recorded by the worker
 * that woke for the deadline, in the same workflow task, the decline costs one task instead of a
 * task, an activity task and a second task, and its history ends 3 events shorter (8 for the fire, not 11).
 */
const { recordBookingTransition: recordBookingTransitionLocally } = proxyLocalActivities<BookingActivities>(ACTIVITY_OPTIONS);

const SYSTEM: Actor = { role: 'system', userId: null };
const REMINDER_BEFORE_MS = 24 * 3_600_000;

/** The booking's state, and the one place that changes it. */
class Booking {
  readonly facts: BookingFacts;
  readonly transitions: BookingTransition[] = [];
  respondBy: Date | null = null;
  /** A new time one side proposed, its slot held, until the other answers or it lapses. */
  proposal: RescheduleProposal | null = null;
  private proposing: RescheduleProposal | null = null;
  /** The last step's number in the booking's event log (transitions and reschedule steps share it). */
  private sequence = 0;
  /** Transitions are persisted one after the other, in the order the workflow decided them. */
  private persisted: Promise<void> = Promise.resolve();

  constructor(private readonly input: BookingWorkflowInput) {
    this.facts = {
      state: 'held',
      customerId: input.customerId,
      providerId: input.providerId,
      startsAt: new Date(input.startsAt),
      holdExpiresAt: new Date(input.holdExpiresAt),
    };
  }

  get state(): BookingState {
    return this.facts.state;
  }

  /** Throws the reason when the action is not allowed now: as a validator, that rejects the update. */
  check(action: BookingAction, actor: Actor): void {
    const decision = decide(this.facts, action, actor, new Date(), this.input.policy ?? DEFAULT_CANCELLATION_POLICY);
    if (!decision.ok) throw new Error(decision.reason);
    const answerable = answerableInTime({ now: new Date(), startsAt: this.facts.startsAt, responseSlaMinutes: this.input.responseSlaMinutes, autoAccept: this.input.autoAccept ?? false });
    if (action === 'confirm' && !answerable) throw new Error('This time is now too soon for the provider to answer before it starts; hold a later one.');
  }

  /** Decides synchronously (so a second update in the same activation sees the new state), then persists. */
  async apply(action: BookingAction, request: TransitionRequest): Promise<BookingSnapshot> {
    const decision = decide(this.facts, action, request.actor, new Date(), this.input.policy ?? DEFAULT_CANCELLATION_POLICY);
    if (!decision.ok) throw new Error(decision.reason);
    const from = this.facts.state;
    const at = new Date().toISOString();
    this.facts.state = decision.to;
    // Leaving `accepted` (a cancel, most likely) frees the proposed time with the old one.
    this.proposal = null;
    // A request the service accepts at once has no answer to wait for.
    if (decision.to === 'requested' && !this.input.autoAccept) {
      // Runs recorded before the rule kept the plain SLA, so their timers replay as they were.
      this.respondBy = patched('answer-deadline-before-start')
        ? answerDeadline({ now: new Date(), startsAt: this.facts.startsAt, responseSlaMinutes: this.input.responseSlaMinutes })
        : new Date(Date.now() + this.input.responseSlaMinutes * 60_000);
    }
    this.transitions.push({ action, from, to: decision.to, at, actorRole: request.actor.role, late: decision.late });
    const sequence = ++this.sequence;
    const record = {
      bookingId: this.input.bookingId,
      sequence,
      action,
      from,
      to: decision.to,
      actor: request.actor,
      note: request.note,
      late: decision.late,
      at,
      respondBy: decision.to === 'requested' ? this.respondBy?.toISOString() : undefined,
    };
    // Runs that declined before the local activity keep their activity task on replay.
    const recordTransition = action === 'auto_decline' && patched('auto-decline-local-activity') ? recordBookingTransitionLocally : recordBookingTransition;
    this.persisted = this.persisted.then(() => recordTransition(record));
    await this.persisted;
    return this.snapshot();
  }

  /** For the workflow's own timers: an update handled in the same activation may have moved the state on. */
  async applyIfStill(state: BookingState, action: BookingAction, note?: string): Promise<void> {
    if (this.facts.state === state) await this.apply(action, { actor: SYSTEM, note });
  }

  /** Throws the reason a proposal may not be made now: as a validator, that rejects the update. */
  checkProposal(request: RescheduleRequest): void {
    const proposedStart = new Date(request.startsAt);
    if (Number.isNaN(proposedStart.getTime()) || !(new Date(request.endsAt) > proposedStart)) throw new Error('The new time must have a valid start and end.');
    const reason = proposalRefusal({ booking: this.facts, pending: this.proposal ?? this.proposing, actor: request.actor, proposedStart, slotOpen: request.slotOpen === true, now: new Date(), responseSlaMinutes: this.input.responseSlaMinutes });
    if (reason) throw new Error(reason);
  }

  checkAnswer(request: RescheduleAnswer): void {
    const proposedStart = request.proposedStart === undefined ? undefined : new Date(request.proposedStart);
    const reason = answerRefusal({ booking: this.facts, pending: this.proposal, actor: request.actor, proposedStart });
    if (reason) throw new Error(reason);
  }

  /**
   * Holds the proposed slot (the database's exclusion constraint decides, as for any hold) and
   * tells the other side. While its slot is being held a second proposal is refused, and there is
   * nothing to answer yet: the proposal is pending once its slot is.
   */
  async propose(request: RescheduleRequest): Promise<BookingSnapshot> {
    const now = new Date();
    const proposal: RescheduleProposal = {
      startsAt: new Date(request.startsAt),
      endsAt: new Date(request.endsAt),
      proposedBy: partyOf(this.facts, request.actor)!,
      respondBy: proposalDeadline({ now, currentStart: this.facts.startsAt, proposedStart: new Date(request.startsAt), responseSlaMinutes: this.input.responseSlaMinutes }),
    };
    this.proposing = proposal;
    const held = await this.persist('reschedule_proposed', request.actor, proposal, this.facts.startsAt).finally(() => (this.proposing = null));
    if (!held) throw ApplicationFailure.nonRetryable('Someone else has just taken this time. Pick another open time.', 'SlotTaken');
    // A cancel decided while the slot was being held went after it, and freed it again.
    if (this.facts.state !== 'accepted') return this.snapshot();
    this.proposal = proposal;
    void this.lapseUnanswered(proposal);
    return this.snapshot();
  }

  /** Accepted, the booking moves to the proposed time and frees its old one; otherwise it keeps its time. */
  async answer(step: Exclude<RescheduleStep, 'reschedule_proposed'>, request: TransitionRequest): Promise<BookingSnapshot> {
    const proposal = this.proposal!;
    const currentStart = this.facts.startsAt;
    this.proposal = null;
    if (step === 'reschedule_accepted') this.facts.startsAt = proposal.startsAt;
    await this.persist(step, request.actor, proposal, currentStart, request.note);
    return this.snapshot();
  }

  /** One reschedule step, in the booking's sequence, persisted in decision order with the transitions. */
  private async persist(step: RescheduleStep, actor: Actor, proposal: RescheduleProposal, currentStart: Date, note?: string): Promise<boolean> {
    const at = new Date().toISOString();
    const transition: BookingTransition = { action: step, from: 'accepted', to: 'accepted', at, actorRole: actor.role };
    this.transitions.push(transition);
    const input = {
      bookingId: this.input.bookingId,
      sequence: ++this.sequence,
      step,
      actor,
      note,
      at,
      currentStart: currentStart.toISOString(),
      proposal: { startsAt: proposal.startsAt.toISOString(), endsAt: proposal.endsAt.toISOString(), proposedBy: proposal.proposedBy, respondBy: proposal.respondBy.toISOString() },
    };
    let held = true;
    this.persisted = this.persisted.then(async () => {
      held = await recordRescheduleStep(input);
    });
    await this.persisted;
    // A proposal whose slot was taken did not happen (its sequence number stays unused).
    if (!held) this.transitions.splice(this.transitions.indexOf(transition), 1);
    return held;
  }

  /** Declines the proposal on nobody's behalf once its answer is due, unless it was answered first. */
  private async lapseUnanswered(proposal: RescheduleProposal): Promise<void> {
    const answered = await condition(() => this.proposal !== proposal, proposal.respondBy.getTime() - Date.now());
    if (!answered) await this.answer('reschedule_expired', { actor: SYSTEM });
  }

  snapshot(): BookingSnapshot {
    const p = this.proposal;
    return {
      bookingId: this.input.bookingId,
      state: this.facts.state,
      startsAt: this.facts.startsAt.toISOString(),
      reschedule: p && { startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString(), proposedBy: p.proposedBy, respondBy: p.respondBy.toISOString() },
      holdExpiresAt: this.input.holdExpiresAt,
      respondBy: this.respondBy?.toISOString() ?? null,
      transitions: [...this.transitions],
    };
  }
}

/** The request as a validator first checks it: it must name who is acting. */
function checkedActor<T extends { actor: Actor }>(request: T | undefined): T {
  if (!request?.actor?.role) throw new Error('The request must name who is acting.');
  return request;
}

/** Waits until the state leaves `state` or the deadline passes; answers whether the deadline won. */
async function waitWhile(booking: Booking, state: BookingState, deadline: Date): Promise<boolean> {
  const ms = deadline.getTime() - Date.now();
  if (ms <= 0) return booking.state === state;
  return !(await condition(() => booking.state !== state, ms));
}

/** `booking-<id>`: from the hold until completed, declined, canceled or expired. */
export async function bookingWorkflow(input: BookingWorkflowInput): Promise<BookingSnapshot> {
  const booking = new Booking(input);

  for (const [name, update] of Object.entries(BOOKING_UPDATES) as [BookingUpdateName, (typeof BOOKING_UPDATES)[BookingUpdateName]][]) {
    setHandler(update, async (request) => {
      const snapshot = await booking.apply(name, request);
      // Where the service accepts at once, the confirmation answers with the booking accepted.
      return name === 'confirm' && input.autoAccept ? booking.apply('accept', { actor: SYSTEM, note: 'Accepted at once, as the service says.' }) : snapshot;
    }, {
      validator: (request) => booking.check(name, checkedActor(request).actor),
    });
  }
  setHandler(proposeRescheduleUpdate, (request) => booking.propose(request), { validator: (request) => booking.checkProposal(checkedActor(request)) });
  setHandler(acceptRescheduleUpdate, (request) => booking.answer('reschedule_accepted', request), { validator: (request) => booking.checkAnswer(checkedActor(request)) });
  setHandler(declineRescheduleUpdate, (request) => booking.answer('reschedule_declined', request), { validator: (request) => booking.checkAnswer(checkedActor(request)) });
  setHandler(bookingStateQuery, () => booking.snapshot());

  if (await waitWhile(booking, 'held', booking.facts.holdExpiresAt)) await booking.applyIfStill('held', 'expire');

  // A service that accepts at once has no deadline: its confirmation is being accepted right now.
  if (booking.state === 'requested' && booking.respondBy && (await waitWhile(booking, 'requested', booking.respondBy))) {
    await booking.applyIfStill('requested', 'auto_decline', 'The provider did not answer in time.');
  }

  // Accepted at once, a booking is accepted a moment after its confirmation: its reminder waits for
  // that. Runs recorded before this rule went on without a reminder, and replay as they were.
  if (booking.state === 'requested' && !booking.respondBy && patched('remind-bookings-accepted-at-once')) {
    await condition(() => booking.state !== 'requested');
  }

  // A booking moved to another time is reminded of its new one (one timer at a time, as before moves existed).
  while (booking.state === 'accepted') {
    const startsAt = booking.facts.startsAt;
    const remindIn = startsAt.getTime() - REMINDER_BEFORE_MS - Date.now();
    if (remindIn <= 0) break;
    const changed = await condition(() => booking.state !== 'accepted' || booking.facts.startsAt !== startsAt, remindIn);
    if (!changed) {
      await sendBookingReminder({ bookingId: input.bookingId });
      break;
    }
  }

  await condition(() => TERMINAL_STATES.has(booking.state));
  await condition(allHandlersFinished);
  return booking.snapshot();
}
