import type { BookingState } from './lifecycle.ts';

/** The columns a provider's board starts with, and the booking state each one stands for. */
export const PROVIDER_BOARD_COLUMNS: ReadonlyArray<{ name: string; bookingState: BookingState }> = [
  { name: 'Requested', bookingState: 'requested' },
  { name: 'Accepted', bookingState: 'accepted' },
  { name: 'In progress', bookingState: 'in_progress' },
  { name: 'Done', bookingState: 'completed' },
  { name: 'Closed', bookingState: 'canceled' },
];

/** Declined, canceled and expired bookings all end in the Closed column; a hold has no task yet. */
export function columnStateFor(state: BookingState): BookingState | null {
  if (state === 'held') return null;
  if (state === 'declined' || state === 'expired') return 'canceled';
  return state;
}

/** A move on the board that asks the booking actor for a transition, or null when none is implied. */
export function transitionForColumn(from: BookingState, toColumnState: BookingState): 'accept' | 'decline' | 'start' | 'complete' | 'cancel' | null {
  if (from === toColumnState) return null;
  if (toColumnState === 'accepted') return 'accept';
  if (toColumnState === 'in_progress') return 'start';
  if (toColumnState === 'completed') return 'complete';
  if (toColumnState === 'canceled') return from === 'requested' ? 'decline' : 'cancel';
  return null;
}
