/**
 * Moving an accepted booking to another time, as pure rules: one side proposes, the other accepts
 * or declines before an answer deadline. The booking workflow validates its reschedule updates with
 * these; the new time's slot is held meanwhile and the old one kept until the answer.
 */
import { answerableInTime, answerDeadline } from './answer-deadline.ts';
import { label, type Actor, type BookingFacts } from './lifecycle.ts';

export type Party = 'customer' | 'provider';

export interface RescheduleProposal {
  startsAt: Date;
  endsAt: Date;
  proposedBy: Party;
  /** Unanswered by then, the proposal lapses and the booking keeps its time. */
  respondBy: Date;
}

/** The steps of a proposal, as the booking's event log names them. */
export const RESCHEDULE_STEPS = ['reschedule_proposed', 'reschedule_accepted', 'reschedule_declined', 'reschedule_expired'] as const;
export type RescheduleStep = (typeof RESCHEDULE_STEPS)[number];

/** The side this actor is on in this booking, or null when they are not a party to it. */
export function partyOf(booking: Pick<BookingFacts, 'customerId' | 'providerId'>, actor: Actor): Party | null {
  if (actor.role === 'customer' && actor.userId === booking.customerId) return 'customer';
  if (actor.role === 'provider' && actor.userId === booking.providerId) return 'provider';
  return null;
}

export const otherParty = (party: Party): Party => (party === 'customer' ? 'provider' : 'customer');

/**
 * When the other side must answer: within the provider's answer time, and an answer lead before
 * whichever of the two times comes first, so both know in time where the booking stands.
 */
export function proposalDeadline(input: { now: Date; currentStart: Date; proposedStart: Date; responseSlaMinutes: number }): Date {
  const first = new Date(Math.min(input.currentStart.getTime(), input.proposedStart.getTime()));
  return answerDeadline({ now: input.now, startsAt: first, responseSlaMinutes: input.responseSlaMinutes });
}

/** Why this proposal may not be made now, or null when it may. */
export function proposalRefusal(input: {
  booking: BookingFacts;
  pending: RescheduleProposal | null;
  actor: Actor;
  proposedStart: Date;
  /** Whether the new time is one of the service's open slots (the provider's hours, other bookings). */
  slotOpen: boolean;
  now: Date;
  responseSlaMinutes: number;
}): string | null {
  const { booking, actor, proposedStart, now } = input;
  if (booking.state !== 'accepted') return `Only an accepted booking can be moved to another time; this one is ${label(booking.state)}.`;
  if (!partyOf(booking, actor)) return 'Only the booking’s customer or provider can propose a new time.';
  if (input.pending) return 'A new time is already proposed for this booking: it must be answered, or lapse, before another can be proposed.';
  if (proposedStart.getTime() === booking.startsAt.getTime()) return 'The booking is at this time already; pick another time.';
  if (proposedStart <= now) return 'This time has passed; pick a later one.';
  const first = new Date(Math.min(booking.startsAt.getTime(), proposedStart.getTime()));
  if (!answerableInTime({ now, startsAt: first, responseSlaMinutes: input.responseSlaMinutes, autoAccept: false })) {
    return proposedStart < booking.startsAt
      ? 'This time is too soon for the other side to answer before it; pick a later one.'
      : 'The booking starts too soon for the other side to answer a new time before it; cancel it instead, or keep it.';
  }
  if (!input.slotOpen) return 'This time is not open: it is outside the provider’s hours or someone has it. Pick an open time.';
  return null;
}

/** Why this actor may not answer the pending proposal now, or null when they may. */
export function answerRefusal(input: { booking: BookingFacts; pending: RescheduleProposal | null; actor: Actor; proposedStart?: Date }): string | null {
  const { booking, pending, actor } = input;
  if (!pending || booking.state !== 'accepted') return 'No new time is waiting for an answer on this booking.';
  if (input.proposedStart && input.proposedStart.getTime() !== pending.startsAt.getTime()) {
    return 'The time this answer is for is no longer the one proposed.';
  }
  const party = partyOf(booking, actor);
  if (party === pending.proposedBy) return 'You proposed this time: the other side answers it.';
  if (!party) return `Only the booking’s ${otherParty(pending.proposedBy)} can answer the proposed time.`;
  return null;
}
