import { DateTime } from 'luxon';
import { MINUTE_MS, type TimeRange } from './time-range.ts';

/**
 * When a slot may start to be offered at all: no sooner than the minimum notice after `now`, and
 * no later than the end of the provider's local date `maximumDaysAhead` days after today (a
 * provider thinks "up to 30 days ahead" in whole days of their own calendar).
 */
export function bookingWindow(input: { now: Date; minimumNoticeMinutes: number; maximumDaysAhead: number; providerTimezone: string }): TimeRange {
  const today = DateTime.fromJSDate(input.now, { zone: input.providerTimezone }).startOf('day');
  return {
    startMs: input.now.getTime() + input.minimumNoticeMinutes * MINUTE_MS,
    endMs: today.plus({ days: input.maximumDaysAhead + 1 }).startOf('day').toMillis(),
  };
}
