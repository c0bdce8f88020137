import { z } from 'zod';

/** A provider subscribes to a few calendars (work, personal), not to hundreds. */
export const MAX_FEEDS_PER_PROVIDER = 10;

/**
 * An iCalendar feed's address. `webcal:` is how calendar apps hand one out; it is plain HTTPS.
 * Where it may point (no private or metadata addresses) is the outbound guard's to decide.
 */
export const calendarFeedInputSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2000)
    .transform((url) => url.replace(/^webcal:\/\//i, 'https://'))
    .pipe(z.url({ protocol: /^https?$/, message: 'expected the feed’s https:// or webcal:// address' })),
  label: z.string().trim().max(80).default(''),
});
export type CalendarFeedInput = z.infer<typeof calendarFeedInputSchema>;

/** Blocks made from feed N carry this calendar name, so they are replaced and removed with it. */
export const feedCalendarName = (feedId: number) => `ics-${feedId}`;

/** How far ahead a feed's busy time is read: services are booked at most a year ahead, most far less. */
export const FEED_HORIZON_DAYS = 180;
/** Events that ended up to a day ago still count: a block must cover a slot that started before now. */
export const FEED_LOOKBACK_DAYS = 1;
