import { DateTime } from 'luxon';

/** The digest timer ticks every quarter hour, on the quarter in UTC: every zone's offset is a whole number of quarters. */
export const DIGEST_TICK_MS = 15 * 60_000;

/**
 * Whether the tick at `at` is the person's digest time (the first quarter of their chosen local
 * hour), and if so the local day it is for and the day of alerts it covers: since the same local
 * time yesterday (23 or 25 hours across a DST change).
 */
export function digestWindow(at: Date, hour: number, timezone: string): { localDate: string; since: Date } | null {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  if (local.hour !== hour || local.minute >= DIGEST_TICK_MS / 60_000) return null;
  return { localDate: local.toISODate()!, since: local.minus({ days: 1 }).toJSDate() };
}
