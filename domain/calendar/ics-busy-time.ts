/**
 * An iCalendar feed's busy time over a window, as blocks: recurring events expanded (RRULE,
 * RDATE, EXDATE, moved occurrences), each time read in its own zone. ical.js (Mozilla's parser)
 * does the parsing and the recurrence; luxon turns wall times into instants, because a feed
 * names IANA zones by TZID without always shipping their VTIMEZONE. Pure: no I/O.
 */
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

export interface BusyInterval {
  /** Stable across refreshes: the event's UID and the occurrence's original start. */
  id: string;
  start: string;
  end: string;
  summary: string;
}

export interface BusyWindow {
  from: Date;
  to: Date;
  /** Dates without a time (all-day events) and times without a zone are the provider's. */
  floatingZone: string;
}

/** A runaway rule (FREQ=SECONDLY, or centuries of daily events) stops here. */
const MAX_STEPS_PER_EVENT = 20_000;
const MAX_INTERVALS = 5_000;

export class IcsParseError extends Error {}

export function busyIntervals(text: string, window: BusyWindow): BusyInterval[] {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new IcsParseError(`not an iCalendar feed: ${(error as Error).message}`);
  }
  if (calendar.name !== 'vcalendar') throw new IcsParseError('not an iCalendar feed: no VCALENDAR');
  const zones = new Map(calendar.getAllSubcomponents('vtimezone').map((c) => [String(c.getFirstPropertyValue('tzid')), new ICAL.Timezone(c)]));
  const toMs = instantReader(zones, window.floatingZone);

  const vevents = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  const masters = vevents.filter((e) => !e.isRecurrenceException());
  for (const exception of vevents.filter((e) => e.isRecurrenceException())) masters.find((m) => m.uid === exception.uid)?.relateException(exception);

  const fromMs = window.from.getTime();
  const toMsLimit = window.to.getTime();
  const out: BusyInterval[] = [];
  for (const event of masters) {
    const masterZone = zoneOf(event.startDate);
    const occurrences = event.isRecurring() ? expand(event, toMs, masterZone, toMsLimit) : [{ item: event, start: event.startDate, end: event.endDate, recurrenceId: event.startDate }];
    for (const { item, start, end, recurrenceId } of occurrences) {
      if (!isBusy(item)) continue;
      const startMs = toMs(start, zoneOf(start) ?? zoneOf(item.startDate) ?? masterZone);
      const endMs = end ? toMs(end, zoneOf(end) ?? zoneOf(item.endDate) ?? masterZone) : startMs + (start.isDate ? 86_400_000 : 0);
      if (endMs <= startMs || endMs <= fromMs || startMs >= toMsLimit) continue;
      out.push({ id: `${event.uid}|${recurrenceId.toString()}`, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), summary: item.summary ?? '' });
      if (out.length >= MAX_INTERVALS) return out;
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

function expand(event: ICAL.Event, toMs: InstantReader, masterZone: string | undefined, untilMs: number) {
  const found: { item: ICAL.Event; start: ICAL.Time; end: ICAL.Time; recurrenceId: ICAL.Time }[] = [];
  const iterator = event.iterator();
  for (let step = 0, next = iterator.next(); next && step < MAX_STEPS_PER_EVENT; step++, next = iterator.next()) {
    // The rule runs in the master's wall time: past the window there (a day of slack for zones), stop.
    if (toMs(next, masterZone) > untilMs + 86_400_000) break;
    const details = event.getOccurrenceDetails(next);
    found.push({ item: details.item, start: details.startDate, end: details.endDate, recurrenceId: details.recurrenceId });
  }
  return found;
}

/** Free time (TRANSP:TRANSPARENT) and cancelled events do not block. */
function isBusy(event: ICAL.Event): boolean {
  const transparency = String(event.component.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase();
  const status = String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase();
  return transparency !== 'TRANSPARENT' && status !== 'CANCELLED';
}

/**
 * The TZID a time was written with; UTC times and floating times have none. ical.js keeps it as
 * `timezone`, or resolves it to `zone` when the feed defines it in a VTIMEZONE.
 */
function zoneOf(time: ICAL.Time | undefined): string | undefined {
  if (!time) return undefined;
  const written = (time as ICAL.Time & { timezone?: string }).timezone;
  if (typeof written === 'string' && written) return written;
  const resolved = time.zone?.tzid;
  return resolved && resolved !== 'floating' && resolved !== 'UTC' ? resolved : undefined;
}

type InstantReader = (time: ICAL.Time, tzid: string | undefined) => number;

/**
 * A wall time to epoch milliseconds: UTC as is; an IANA TZID through luxon; another TZID (a
 * Windows name such as "W. Europe Standard Time") through the feed's own VTIMEZONE; otherwise,
 * and for all-day dates, in the floating zone.
 */
function instantReader(zones: Map<string, ICAL.Timezone>, floatingZone: string): InstantReader {
  return (time, tzid) => {
    const wall = { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second };
    if (!time.isDate && time.zone?.tzid === 'UTC') return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    if (!time.isDate && tzid && IANAZone.isValidZone(tzid)) return DateTime.fromObject(wall, { zone: tzid }).toMillis();
    const own = tzid ? zones.get(tzid) : undefined;
    if (!time.isDate && own) {
      const zoned = time.clone();
      zoned.zone = own;
      return zoned.toUnixTime() * 1000;
    }
    return DateTime.fromObject(wall, { zone: floatingZone }).toMillis();
  };
}
