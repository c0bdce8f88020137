/**
 * The booking lifecycle as pure rules: which action may move a booking from which state, and who
 * may take it. The booking workflow validates every update with these before accepting it, and the
 * board asks them before it offers a column move.
 */
export const BOOKING_STATES = ['held', 'requested', 'accepted', 'in_progress', 'completed', 'declined', 'canceled', 'expired'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<BookingState> = new Set(['completed', 'declined', 'canceled', 'expired']);

export type BookingAction = 'confirm' | 'accept' | 'decline' | 'start' | 'complete' | 'cancel' | 'expire' | 'auto_decline';
export type ActorRole = 'customer' | 'provider' | 'admin' | 'system';

export interface Actor {
  role: ActorRole;
  userId: string | null;
}

export interface BookingFacts {
  state: BookingState;
  customerId: string;
  providerId: string;
  startsAt: Date;
  holdExpiresAt: Date;
}

export interface CancellationPolicy {
  /** Customers cancel an accepted booking free of charge until this many hours before the start. */
  freeUntilHoursBefore: number;
  /** Providers may cancel an accepted booking until this many hours before the start. */
  providerUntilHoursBefore: number;
}

export const DEFAULT_CANCELLATION_POLICY: CancellationPolicy = { freeUntilHoursBefore: 24, providerUntilHoursBefore: 12 };

/** How early a provider may mark the work as started. */
export const START_EARLY_MINUTES = 30;

/** The first instant the provider may start the work: START_EARLY_MINUTES before the booked time. */
export function workStartOpensAt(startsAt: Date): Date {
  return new Date(startsAt.getTime() - START_EARLY_MINUTES * 60_000);
}

/** After this instant a customer's cancel of an accepted booking is a late cancellation. */
export function freeCancellationEndsAt(startsAt: Date, policy: CancellationPolicy = DEFAULT_CANCELLATION_POLICY): Date {
  return new Date(startsAt.getTime() - policy.freeUntilHoursBefore * 3_600_000);
}

const NEXT_STATE: Record<BookingAction, BookingState> = {
  confirm: 'requested',
  accept: 'accepted',
  decline: 'declined',
  start: 'in_progress',
  complete: 'completed',
  cancel: 'canceled',
  expire: 'expired',
  auto_decline: 'declined',
};

const FROM_STATES: Record<BookingAction, BookingState[]> = {
  confirm: ['held'],
  accept: ['requested'],
  decline: ['requested'],
  start: ['accepted'],
  complete: ['in_progress'],
  cancel: ['held', 'requested', 'accepted', 'in_progress'],
  expire: ['held'],
  auto_decline: ['requested'],
};

export type Decision = { ok: true; to: BookingState; late?: boolean } | { ok: false; reason: string };

const refuse = (reason: string): Decision => ({ ok: false, reason });

export function decide(
  booking: BookingFacts,
  action: BookingAction,
  actor: Actor,
  now: Date,
  policy: CancellationPolicy = DEFAULT_CANCELLATION_POLICY,
): Decision {
  if (!FROM_STATES[action].includes(booking.state)) {
    return refuse(`A booking that is ${label(booking.state)} cannot be ${pastTense(action)}.`);
  }
  const who = whoMay(booking, action, actor);
  if (who) return refuse(who);
  const to = NEXT_STATE[action];
  const hoursToStart = (booking.startsAt.getTime() - now.getTime()) / 3_600_000;
  switch (action) {
    case 'confirm':
      return now >= booking.holdExpiresAt ? refuse('The hold has expired; hold the slot again.') : { ok: true, to };
    case 'start':
      return now < workStartOpensAt(booking.startsAt)
        ? refuse(`Work can start at most ${START_EARLY_MINUTES} minutes before the booked time.`)
        : { ok: true, to };
    case 'cancel':
      return cancelDecision(booking, actor, now, hoursToStart, policy);
    default:
      return { ok: true, to };
  }
}

function cancelDecision(booking: BookingFacts, actor: Actor, now: Date, hoursToStart: number, policy: CancellationPolicy): Decision {
  if (booking.state === 'in_progress' && actor.role !== 'admin') return refuse('Work in progress can only be canceled by an admin.');
  if (booking.state !== 'accepted' || actor.role === 'admin') return { ok: true, to: 'canceled' };
  if (actor.role === 'provider' && hoursToStart < policy.providerUntilHoursBefore) {
    return refuse(`Providers can cancel an accepted booking until ${policy.providerUntilHoursBefore} hours before it starts; ask an admin.`);
  }
  const late = actor.role === 'customer' && now > freeCancellationEndsAt(booking.startsAt, policy);
  return { ok: true, to: 'canceled', late };
}

function whoMay(booking: BookingFacts, action: BookingAction, actor: Actor): string | null {
  if (action === 'expire' || action === 'auto_decline') return actor.role === 'system' ? null : 'Only the system expires holds and overdue requests.';
  // The system accepts for the provider where their service accepts bookings at once.
  if (action === 'accept' && actor.role === 'system') return null;
  if (actor.role === 'admin') return action === 'cancel' ? null : 'Admins can cancel bookings but not act for the customer or the provider.';
  const isCustomer = actor.role === 'customer' && actor.userId === booking.customerId;
  const isProvider = actor.role === 'provider' && actor.userId === booking.providerId;
  if (action === 'confirm') return isCustomer ? null : 'Only the customer who holds the slot can confirm it.';
  if (action === 'cancel') return isCustomer || isProvider ? null : 'Only the customer, the provider or an admin can cancel this booking.';
  return isProvider ? null : 'Only the booking’s provider can do this.';
}

export function label(state: BookingState): string {
  return state.replace('_', ' ');
}

function pastTense(action: BookingAction): string {
  const words: Record<BookingAction, string> = {
    confirm: 'confirmed',
    accept: 'accepted',
    decline: 'declined',
    start: 'started',
    complete: 'completed',
    cancel: 'canceled',
    expire: 'expired',
    auto_decline: 'declined',
  };
  return words[action];
}
