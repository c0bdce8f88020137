import { bookingWindow } from '../availability/booking-window.ts';
import type { Slot } from '../availability/generate-slots.ts';

/** The slots a customer may book at `now`: past the service's minimum notice and within its horizon. */
export function bookableNow<S extends Slot>(
  slots: readonly S[],
  service: { minNoticeMinutes: number; maxDaysAhead: number; providerTimezone: string },
  now: Date,
): S[] {
  const window = bookingWindow({ now, minimumNoticeMinutes: service.minNoticeMinutes, maximumDaysAhead: service.maxDaysAhead, providerTimezone: service.providerTimezone });
  return slots.filter((slot) => {
    const startMs = Date.parse(slot.start);
    return startMs >= window.startMs && startMs < window.endMs;
  });
}
