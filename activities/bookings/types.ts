import type { Actor, BookingAction, BookingState } from '../../domain/bookings/lifecycle.ts';

/** What the booking workflow asks its activities to do; the implementations live in activities/bookings/. */
export interface RecordTransitionInput {
  bookingId: string;
  /** Position of this transition in the booking's life: makes a retried activity a no-op. */
  sequence: number;
  action: BookingAction;
  from: BookingState;
  to: BookingState;
  actor: Actor;
  note?: string;
  late?: boolean;
  at: string;
  /** Set on confirm: when the request is declined if the provider has not answered. */
  respondBy?: string;
}

export interface BookingActivities {
  recordBookingTransition(input: RecordTransitionInput): Promise<void>;
  sendBookingReminder(input: { bookingId: string }): Promise<void>;
}
