import type { Actor, BookingAction, BookingState } from '../../domain/bookings/lifecycle.ts';
import type { Party, RescheduleStep } from '../../domain/bookings/reschedule.ts';

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

/** One step of a proposed new time; ISO instants, as a workflow argument must survive JSON. */
export interface RescheduleStepInput {
  bookingId: string;
  /** Shares the booking's sequence with its transitions: a retried activity is a no-op. */
  sequence: number;
  step: RescheduleStep;
  actor: Actor;
  note?: string;
  at: string;
  /** The booking's time before the step, and the proposal the step is about. */
  currentStart: string;
  proposal: { startsAt: string; endsAt: string; proposedBy: Party; respondBy: string };
}

export interface BookingActivities {
  recordBookingTransition(input: RecordTransitionInput): Promise<void>;
  sendBookingReminder(input: { bookingId: string }): Promise<void>;
  /** Writes the step with what follows from it. For a proposal, false when its time is taken (nothing is written). */
  recordRescheduleStep(input: RescheduleStepInput): Promise<boolean>;
}
