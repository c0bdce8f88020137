import { allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
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
import {
  BOOKING_UPDATES,
  bookingStateQuery,
  type BookingSnapshot,
  type BookingTransition,
  type BookingUpdateName,
  type BookingWorkflowInput,
  type TransitionRequest,
} from './definitions.ts';

const { recordBookingTransition, sendBookingReminder } = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const SYSTEM: Actor = { role: 'system', userId: null };
const REMINDER_BEFORE_MS = 24 * 3_600_000;

/** The booking's state, and the one place that changes it. */
class Booking {
  readonly facts: BookingFacts;
  readonly transitions: BookingTransition[] = [];
  respondBy: Date | null = null;
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
    // A request the service accepts at once has no answer to wait for.
    if (decision.to === 'requested' && !this.input.autoAccept) {
      // Runs recorded before the rule kept the plain SLA, so their timers replay as they were.
      this.respondBy = patched('answer-deadline-before-start')
        ? answerDeadline({ now: new Date(), startsAt: this.facts.startsAt, responseSlaMinutes: this.input.responseSlaMinutes })
        : new Date(Date.now() + this.input.responseSlaMinutes * 60_000);
    }
    this.transitions.push({ action, from, to: decision.to, at, actorRole: request.actor.role, late: decision.late });
    const sequence = this.transitions.length;
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
    this.persisted = this.persisted.then(() => recordBookingTransition(record));
    await this.persisted;
    return this.snapshot();
  }

  /** For the workflow's own timers: an update handled in the same activation may have moved the state on. */
  async applyIfStill(state: BookingState, action: BookingAction, note?: string): Promise<void> {
    if (this.facts.state === state) await this.apply(action, { actor: SYSTEM, note });
  }

  snapshot(): BookingSnapshot {
    return {
      bookingId: this.input.bookingId,
      state: this.facts.state,
      holdExpiresAt: this.input.holdExpiresAt,
      respondBy: this.respondBy?.toISOString() ?? null,
      transitions: [...this.transitions],
    };
  }
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
      validator: (request) => {
        if (!request?.actor?.role) throw new Error('The request must name who is acting.');
        booking.check(name, request.actor);
      },
    });
  }
  setHandler(bookingStateQuery, () => booking.snapshot());

  if (await waitWhile(booking, 'held', booking.facts.holdExpiresAt)) await booking.applyIfStill('held', 'expire');

  // A service that accepts at once has no deadline: its confirmation is being accepted right now.
  if (booking.state === 'requested' && booking.respondBy && (await waitWhile(booking, 'requested', booking.respondBy))) {
    await booking.applyIfStill('requested', 'auto_decline', 'The provider did not answer in time.');
  }

  const remindAt = new Date(booking.facts.startsAt.getTime() - REMINDER_BEFORE_MS);
  if (booking.state === 'accepted' && remindAt.getTime() > Date.now() && (await waitWhile(booking, 'accepted', remindAt))) {
    await sendBookingReminder({ bookingId: input.bookingId });
  }

  await condition(() => TERMINAL_STATES.has(booking.state));
  await condition(allHandlersFinished);
  return booking.snapshot();
}
