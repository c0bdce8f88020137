/**
 * Calendar specs as the real server reads them: calendar strings and cron strings become
 * structured calendars (ranges per field), and a structured calendar finds its next matching
 * second in its time zone. Across a DST change a time that does not exist is skipped and a
 * repeated local time matches twice, as the real server does.
 */
import { DateTime } from 'luxon';
import { invalidArgument } from '../grpc/errors.ts';
import type { Msg } from '../proto.ts';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const PREDEFINED: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Range {
  start: number;
  end: number;
  step: number;
}

type Mode = 'int' | 'month' | 'dow' | 'year';

function parseValue(s: string, min: number, max: number, mode: Mode): number {
  const lower = s.toLowerCase();
  let v = Number.NaN;
  if (mode === 'month') v = MONTHS.findIndex((m) => lower.startsWith(m)) + 1 || Number.NaN;
  if (mode === 'dow') v = DAYS.findIndex((d) => lower.startsWith(d));
  if (!(v >= 0)) v = /^\d+$/.test(s) ? Number(s) : Number.NaN;
  if (!(v >= min && v <= max)) throw new Error(`not in range [${min}-${max}]`);
  return v;
}

/** "*", "x", "x-z", "x-z/y", "x/y" and comma lists of them; empty means `def`. */
function parseField(text: string | undefined, field: string, def: string, min: number, max: number, mode: Mode): Range[] {
  const s = (text ?? '').trim() || def;
  if (s === '*' && mode === 'year') return [];
  const ranges: Range[] = [];
  for (const part of s.split(',')) {
    const [body, stepText, extra] = part.split('/');
    if (extra !== undefined) throw invalidArgument(`${field} has too many slashes`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw invalidArgument(`${field} has invalid Step`);
    let start = min;
    let end = max;
    try {
      if (body !== '*') {
        const [a, b, more] = body.split('-');
        if (more !== undefined) throw invalidArgument(`${field} has too many dashes`);
        start = parseValue(a, min, max, mode);
        end = b !== undefined ? parseValue(b, start, max, mode) : stepText === undefined ? start : max;
      }
    } catch (err) {
      throw invalidArgument(`${field} ${(err as Error).message}`);
    }
    if (mode === 'dow' && end === 7) {
      // Sunday is 0; 7 is accepted for it.
      if ((7 - start) % step === 0) ranges.push({ start: 0, end: 0, step: 1 });
      end = 6;
      if (start > end) continue;
    }
    ranges.push({ start, end, step });
  }
  return ranges;
}

/** A CalendarSpec (strings per field) as the structured calendar the server keeps. */
export function structuredFromCalendar(cal: Msg): Msg {
  return {
    second: parseField(cal.second, 'Second', '0', 0, 59, 'int'),
    minute: parseField(cal.minute, 'Minute', '0', 0, 59, 'int'),
    hour: parseField(cal.hour, 'Hour', '0', 0, 23, 'int'),
    dayOfMonth: parseField(cal.dayOfMonth, 'DayOfMonth', '*', 1, 31, 'int'),
    month: parseField(cal.month, 'Month', '*', 1, 12, 'month'),
    year: parseField(cal.year, 'Year', '*', MIN_YEAR, MAX_YEAR, 'year'),
    dayOfWeek: parseField(cal.dayOfWeek, 'DayOfWeek', '*', 0, 7, 'dow'),
    comment: cal.comment || undefined,
  };
}

export interface ParsedCron {
  calendar?: Msg;
  interval?: Msg;
  timezone?: string;
}

/** A cron string: optional CRON_TZ=, 5 to 7 fields or @hourly and friends, or "@every 2h/30m"; "#" starts a comment. */
export function parseCronString(text: string, parseDuration: (s: string) => number): ParsedCron {
  let c = text.trim();
  let timezone: string | undefined;
  if (c.startsWith('TZ=') || c.startsWith('CRON_TZ=')) {
    const space = c.indexOf(' ');
    if (space < 0) throw invalidArgument('CronString has time zone but missing fields');
    timezone = c.slice(c.indexOf('=') + 1, space);
    c = c.slice(space + 1);
  }
  const hash = c.indexOf('#');
  const comment = hash >= 0 ? c.slice(hash + 1).trim() : '';
  c = (hash >= 0 ? c.slice(0, hash) : c).trim();
  if (c.startsWith('@every')) {
    const [every, phase] = c.slice('@every'.length).trim().split('/');
    if (!every) throw invalidArgument('CronString does not have interval after @every');
    return { interval: { interval: parseDuration(every), phase: phase ? parseDuration(phase) : 0 }, timezone };
  }
  const fields = (PREDEFINED[c] ?? c).split(/\s+/);
  const names = fields.length === 5 ? ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] : fields.length === 6 ? ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek', 'year'] : fields.length === 7 ? ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek', 'year'] : undefined;
  if (!names) throw invalidArgument('CronString does not have 5-7 fields');
  const cal: Msg = { comment };
  names.forEach((name, i) => (cal[name] = fields[i]));
  return { calendar: structuredFromCalendar(cal), timezone };
}

type Matcher = (v: number) => boolean;

function matcher(ranges: Msg[] | undefined, emptyMatchesAll = false): Matcher {
  if (!ranges?.length) return () => emptyMatchesAll;
  const values = new Set<number>();
  for (const r of ranges) {
    const start = r.start ?? 0;
    const end = Math.max(r.end ?? 0, start);
    const step = r.step || 1;
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return (v) => values.has(v);
}

const daysInMonth = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();

/** A structured calendar, compiled for one time zone. */
export class CompiledCalendar {
  private readonly year: Matcher;
  private readonly month: Matcher;
  private readonly dayOfMonth: Matcher;
  private readonly dayOfWeek: Matcher;
  private readonly hour: Matcher;
  private readonly minute: Matcher;
  private readonly second: Matcher;

  constructor(
    cal: Msg,
    private readonly zone: string,
  ) {
    this.year = matcher(cal.year, true);
    this.month = matcher(cal.month);
    this.dayOfMonth = matcher(cal.dayOfMonth);
    this.dayOfWeek = matcher(cal.dayOfWeek);
    this.hour = matcher(cal.hour);
    this.minute = matcher(cal.minute);
    this.second = matcher(cal.second);
  }

  /** The local time; of a repeated one (DST ending), its first instant, as Go's time.Date gives the real server. */
  private local(y: number, mo: number, d: number, h = 0, m = 0, s = 0): DateTime {
    const t = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: m, second: s }, { zone: this.zone });
    const hourBefore = t.minus({ hours: 1 });
    return hourBefore.hour === t.hour && hourBefore.minute === t.minute && hourBefore.day === t.day ? hourBefore : t;
  }

  matches(epochMs: number): boolean {
    const t = DateTime.fromMillis(epochMs, { zone: this.zone });
    return this.year(t.year) && this.month(t.month) && this.dayOfMonth(t.day) && this.dayOfWeek(t.weekday % 7) && this.hour(t.hour) && this.minute(t.minute) && this.second(t.second);
  }

  /** The first matching second after `epochMs`, or undefined when none is left. */
  next(epochMs: number): number | undefined {
    const t = DateTime.fromMillis(Math.floor(epochMs / 1000) * 1000, { zone: this.zone });
    let [y, mo, d, h, m, s] = [t.year, t.month, t.day, t.hour, t.minute, t.second];
    // In the second copy of a repeated hour, candidates are an hour later than their local time says.
    let dstOffset = t.minus({ hours: 1 }).hour === h ? 3_600_000 : 0;
    s++;
    outer: for (;;) {
      if (s >= 60) [m, s] = [m + 1, 0];
      if (m >= 60) {
        const prev = this.local(y, mo, d, h).toMillis();
        [h, m] = [h + 1, 0];
        const next = h < 24 ? this.local(y, mo, d, h).toMillis() : prev + 3_600_000;
        // Moving to the next hour took two: the hour just done repeats; do it again, an hour on.
        if (dstOffset === 0 && next - prev > 3_600_000) {
          h--;
          dstOffset = 3_600_000;
        } else dstOffset = 0;
      }
      if (h >= 24) [d, h] = [d + 1, 0];
      if (d > daysInMonth(y, mo)) [mo, d] = [mo + 1, 1];
      if (mo > 12) [y, mo] = [y + 1, 1];
      if (y > MAX_YEAR) return undefined;
      if (!this.year(y)) {
        [y, mo, d, h, m, s, dstOffset] = [y + 1, 1, 1, 0, 0, 0, 0];
        continue;
      }
      while (!this.month(mo)) {
        [mo, d, h, m, s, dstOffset] = [mo + 1, 1, 0, 0, 0, 0];
        if (mo > 12) continue outer;
      }
      while (!this.dayOfMonth(d) || !this.dayOfWeek(new Date(Date.UTC(y, mo - 1, d)).getUTCDay())) {
        [d, h, m, s, dstOffset] = [d + 1, 0, 0, 0, 0];
        if (d > daysInMonth(y, mo)) continue outer;
      }
      while (!this.hour(h)) {
        [h, m, s, dstOffset] = [h + 1, 0, 0, 0];
        if (h >= 24) continue outer;
      }
      while (!this.minute(m)) {
        [m, s] = [m + 1, 0];
        if (m >= 60) continue outer;
      }
      while (!this.second(s)) {
        s++;
        if (s >= 60) continue outer;
      }
      const found = this.local(y, mo, d, h, m, s);
      // A local time skipped by a DST change does not exist: on to the next hour.
      if (found.hour !== h) {
        [h, m, s] = [h + 1, 0, 0];
        continue;
      }
      return found.toMillis() + dstOffset;
    }
  }
}
