import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, BookingState, CancellationPolicy } from '../../domain/bookings/lifecycle.ts';

export const BOOKING_TASK_QUEUE_DEFAULT = 'pulseboard';
export const bookingWorkflowId = (bookingId: string) => `booking-${bookingId}`;

export interface BookingWorkflowInput {
  bookingId: string;
  customerId: string;
  providerId: string;
  /** ISO instants: a workflow argument must survive JSON. */
  startsAt: string;
  endsAt: string;
  holdExpiresAt: string;
  /** A request left unanswered this long is declined on the provider's behalf. */
  responseSlaMinutes: number;
  /** The service accepts a confirmed booking at once; nobody needs to answer. */
  autoAccept?: boolean;
  policy?: CancellationPolicy;
}

export interface TransitionRequest {
  actor: Actor;
  /** The customer's notes on confirm, or a reason on decline and cancel. */
  note?: string;
}

export interface BookingTransition {
  action: string;
  from: BookingState;
  to: BookingState;
  at: string;
  actorRole: Actor['role'];
  late?: boolean;
}

export interface RescheduleRequest {
  actor: Actor;
  /** ISO instants; the end keeps the booking's length. */
  startsAt: string;
  endsAt: string;
  /**
   * Whether the new time is an open slot of the service, as the API read the provider's hours and
   * bookings (a workflow reads no database). The hold that follows is the arbiter of a race.
   */
  slotOpen: boolean;
}

export interface RescheduleAnswer extends TransitionRequest {
  /** The proposed start the answer is for (an email link's): refused if another time is proposed now. */
  proposedStart?: string;
}

export interface BookingSnapshot {
  bookingId: string;
  state: BookingState;
  startsAt: string;
  /** A proposed new time awaiting the other side's answer; null when none. */
  reschedule: { startsAt: string; endsAt: string; proposedBy: 'customer' | 'provider'; respondBy: string } | null;
  holdExpiresAt: string;
  /** When an unanswered request will be declined automatically. */
  respondBy: string | null;
  transitions: BookingTransition[];
}

// Transitions are updates, not signals: the caller needs the verdict (accepted with the new state,
// or rejected with the reason) in the same request, and a rejected one must leave no trace in history.
export const confirmUpdate = defineUpdate<BookingSnapshot, [TransitionRequest]>('confirm');
export const acceptUpdate = defineUpdate<BookingSnapshot, [TransitionRequest]>('accept');
export const declineUpdate = defineUpdate<BookingSnapshot, [TransitionRequest]>('decline');
export const startUpdate = defineUpdate<BookingSnapshot, [TransitionRequest]>('start');
export const completeUpdate = defineUpdate<BookingSnapshot, [TransitionRequest]>('complete');
export const cancelUpdate = defineUpdate<BookingSnapshot, [TransitionRequest]>('cancel');

// Reschedule steps are updates too, for the same reasons; a proposal's answer is validated against
// the proposal pending now, so a stale email link cannot answer a newer one.
export const proposeRescheduleUpdate = defineUpdate<BookingSnapshot, [RescheduleRequest]>('proposeReschedule');
export const acceptRescheduleUpdate = defineUpdate<BookingSnapshot, [RescheduleAnswer]>('acceptReschedule');
export const declineRescheduleUpdate = defineUpdate<BookingSnapshot, [RescheduleAnswer]>('declineReschedule');

export const bookingStateQuery = defineQuery<BookingSnapshot>('state');

export const BOOKING_UPDATES = {
  confirm: confirmUpdate,
  accept: acceptUpdate,
  decline: declineUpdate,
  start: startUpdate,
  complete: completeUpdate,
  cancel: cancelUpdate,
} as const;
export type BookingUpdateName = keyof typeof BOOKING_UPDATES;
