import { slotConflicts, type Buffers } from './slot-conflicts.ts';
import { padRange, rangesOverlap, rangeOfIso, type TimeRange } from './time-range.ts';
import type { Block, BookingInterval, Hold } from './schemas.ts';
import type { BookingState } from '../bookings/lifecycle.ts';

export type SlotState = 'open' | 'held' | 'blocked' | 'booked';

/** Bookings past their hold take the slot for good; declined, canceled and expired ones free it. */
const SLOT_EFFECT: Record<BookingState, 'booked' | 'held' | null> = {
  held: 'held',
  requested: 'booked',
  accepted: 'booked',
  in_progress: 'booked',
  completed: 'booked',
  declined: null,
  canceled: null,
  expired: null,
};

export interface Occupancy {
  booked: TimeRange[];
  held: TimeRange[];
  blocked: TimeRange[];
}

/** Sorts the provider's commitments by what they do to a slot; holds that expired by `now` are gone. */
export function occupancyOf(input: { bookings: readonly BookingInterval[]; holds: readonly Hold[]; blocks: readonly Block[]; now: Date }): Occupancy {
  const liveHolds = input.holds.filter((h) => Date.parse(h.expiresAt) > input.now.getTime());
  return {
    booked: input.bookings.filter((b) => SLOT_EFFECT[b.state] === 'booked').map(rangeOfIso),
    held: [...input.bookings.filter((b) => SLOT_EFFECT[b.state] === 'held'), ...liveHolds].map(rangeOfIso),
    blocked: input.blocks.map(rangeOfIso),
  };
}

/**
 * Precedence booked > held > blocked > open. A slot is booked or held only where it overlaps the
 * appointment itself; one that collides only through buffers (both sides' count, see
 * slotConflicts) is blocked: unavailable, but nobody's appointment. A block is plain busy time,
 * so only the slot's own buffers reach into it.
 */
export function slotState(slot: TimeRange, occupancy: Occupancy, buffers: Buffers): SlotState {
  if (occupancy.booked.some((b) => rangesOverlap(slot, b))) return 'booked';
  if (occupancy.held.some((h) => rangesOverlap(slot, h))) return 'held';
  const appointments = [...occupancy.booked, ...occupancy.held];
  if (appointments.some((a) => slotConflicts(slot, a, buffers))) return 'blocked';
  const padded = padRange(slot, buffers.beforeMinutes, buffers.afterMinutes);
  if (occupancy.blocked.some((b) => rangesOverlap(padded, b))) return 'blocked';
  return 'open';
}
