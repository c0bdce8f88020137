/**
 * Inputs of the availability engine, as the API and the repositories hand them over. Local times
 * (`HH:mm`) belong to the provider's IANA timezone; instants are ISO 8601 strings with an offset.
 */
import { z } from 'zod';
import { BOOKING_STATES } from '../bookings/lifecycle.ts';

/** `00:00`..`23:59`, or `24:00` to mean the end of the day (only useful as an interval's end). */
const localTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a local time HH:mm');

export function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export const localIntervalSchema = z
  .object({ start: localTime, end: localTime })
  .refine((i) => minuteOfDay(i.end) > minuteOfDay(i.start), { message: 'an interval must end after it starts, on the same day' });
export type LocalInterval = z.infer<typeof localIntervalSchema>;

/** Overlapping intervals would offer the same minutes twice; reject them where they are written. */
const dayIntervals = z.array(localIntervalSchema).refine(
  (intervals) => {
    const sorted = [...intervals].sort((a, b) => minuteOfDay(a.start) - minuteOfDay(b.start));
    return sorted.every((interval, i) => i === 0 || minuteOfDay(interval.start) >= minuteOfDay(sorted[i - 1].end));
  },
  { message: 'intervals of one day must not overlap' },
);

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekday left out is a day off. */
export const weeklyTemplateSchema = z.partialRecord(z.enum(WEEKDAYS), dayIntervals);
export type WeeklyTemplate = z.infer<typeof weeklyTemplateSchema>;

const localDate = z.iso.date();

/** A date that does not follow the template: its own intervals, or closed altogether. */
export const dateOverrideSchema = z.union([
  z.object({ date: localDate, closed: z.literal(true) }),
  z.object({ date: localDate, intervals: dayIntervals }),
]);
export type DateOverride = z.infer<typeof dateOverrideSchema>;

const instant = z.iso.datetime({ offset: true });

const instantRange = z
  .object({ start: instant, end: instant })
  .refine((r) => Date.parse(r.end) > Date.parse(r.start), { message: 'end must be after start' });

/** Time the provider blocked by hand, or a busy event from an external calendar. */
export const blockSchema = instantRange;
export type Block = z.infer<typeof blockSchema>;

/** A slot held by a customer who has not confirmed yet; it stops counting once it expires. */
export const holdSchema = instantRange.and(z.object({ expiresAt: instant }));
export type Hold = z.infer<typeof holdSchema>;

export const bookingIntervalSchema = instantRange.and(z.object({ state: z.enum(BOOKING_STATES) }));
export type BookingInterval = z.infer<typeof bookingIntervalSchema>;

export const serviceTimingSchema = z.object({
  durationMinutes: z.int().positive().max(24 * 60),
  bufferBeforeMinutes: z.int().nonnegative().default(0),
  bufferAfterMinutes: z.int().nonnegative().default(0),
  minimumNoticeMinutes: z.int().nonnegative().default(0),
  maximumDaysAhead: z.int().positive().default(60),
  /** Minutes between the starts of consecutive slots; the duration when not given. */
  slotStepMinutes: z.int().positive().optional(),
});
export type ServiceTiming = z.infer<typeof serviceTimingSchema>;
