import { padRange, rangesOverlap, type TimeRange } from './time-range.ts';

export interface Buffers {
  beforeMinutes: number;
  afterMinutes: number;
}

/**
 * Whether two appointments of a service collide once each is widened by its buffers. Both
 * buffers are real work (clean-up after one, preparation for the next) that cannot happen at the
 * same time, so back-to-back appointments need `after + before` minutes between them.
 */
export function slotConflicts(a: TimeRange, b: TimeRange, buffers: Buffers): boolean {
  return rangesOverlap(padRange(a, buffers.beforeMinutes, buffers.afterMinutes), padRange(b, buffers.beforeMinutes, buffers.afterMinutes));
}
