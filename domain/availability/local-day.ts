/**
 * One calendar date in a timezone as real time: at most two pieces of constant UTC offset, since
 * a date holds at most one DST change. Wall-clock times map to 0 instants (spring-forward gap),
 * 1, or 2 (the repeated hour of a fall-back) without guessing which one luxon would pick.
 */
import { DateTime, IANAZone } from 'luxon';
import { MINUTE_MS, type TimeRange } from './time-range.ts';

interface OffsetPiece extends TimeRange {
  offsetMinutes: number;
}

export interface LocalDay {
  date: string;
  /** The date's 00:00 wall time read as if it were UTC; a wall time minus the offset gives the instant. */
  wallMidnightMs: number;
  pieces: OffsetPiece[];
}

/** Every hold and calendar page asks for the same few days again: each (zone, date) is worked out once. */
const known = new Map<string, LocalDay>();
const MAX_KNOWN = 10_000;

/** The returned day is shared between callers: read it, never change it. */
export function localDay(date: string, timezone: string): LocalDay {
  const key = `${timezone} ${date}`;
  let day = known.get(key);
  if (!day) {
    day = computeLocalDay(date, timezone);
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(key, day);
  }
  return day;
}

function computeLocalDay(date: string, timezone: string): LocalDay {
  const zone = IANAZone.create(timezone);
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  const startMs = start.toMillis();
  const endMs = start.plus({ days: 1 }).startOf('day').toMillis();
  const wallMidnightMs = Date.UTC(start.year, start.month - 1, start.day);
  const first = zone.offset(startMs);
  const last = zone.offset(endMs - 1);
  if (first === last) return { date, wallMidnightMs, pieces: [{ startMs, endMs, offsetMinutes: first }] };
  const changeMs = firstInstantWithNewOffset(zone, startMs, endMs - 1, first);
  return {
    date,
    wallMidnightMs,
    pieces: [
      { startMs, endMs: changeMs, offsetMinutes: first },
      { startMs: changeMs, endMs, offsetMinutes: last },
    ],
  };
}

/** Binary search to the millisecond; `lo` has the old offset and `hi` the new one. */
function firstInstantWithNewOffset(zone: IANAZone, lo: number, hi: number, oldOffset: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === oldOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Every instant at which the clock of this date reads `minute` (minutes after midnight), earliest first. */
export function instantsOfWallTime(day: LocalDay, minute: number): number[] {
  return day.pieces
    .map((piece) => ({ piece, ms: day.wallMidnightMs + (minute - piece.offsetMinutes) * MINUTE_MS }))
    .filter(({ piece, ms }) => ms >= piece.startMs && ms < piece.endMs)
    .map(({ ms }) => ms);
}

/**
 * The real time during which this date's clock reads within [startMinute, endMinute): one range
 * normally, longer or shorter across a DST change, two when a fall-back makes the clock leave
 * the interval and come back into it.
 */
export function wallIntervalRanges(day: LocalDay, startMinute: number, endMinute: number): TimeRange[] {
  const ranges: TimeRange[] = [];
  for (const piece of day.pieces) {
    const startMs = Math.max(piece.startMs, day.wallMidnightMs + (startMinute - piece.offsetMinutes) * MINUTE_MS);
    const endMs = Math.min(piece.endMs, day.wallMidnightMs + (endMinute - piece.offsetMinutes) * MINUTE_MS);
    if (endMs <= startMs) continue;
    const previous = ranges.at(-1);
    if (previous && previous.endMs === startMs) previous.endMs = endMs;
    else ranges.push({ startMs, endMs });
  }
  return ranges;
}
