/**
 * A schedule's spec, compiled: the nominal action times (calendars, intervals, minus
 * exclusions, within start and end) and each one's jittered actual time. The spec is kept in
 * the canonical form the real server describes: calendar and cron strings become structured
 * calendars or intervals.
 */
import { createHash } from 'node:crypto';
import { Info } from 'luxon';
import { invalidArgument } from '../grpc/errors.ts';
import { duration, fromTimestamp, ms, type Msg } from '../proto.ts';
import { CompiledCalendar, parseCronString, structuredFromCalendar } from './calendar.ts';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A Go-style duration ("1h30m", "90s", "2d"), in ms. */
function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) throw invalidArgument(`invalid duration: ${text}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

/** The spec as the server keeps and describes it: cron and calendar strings turned structured. */
export function canonicalSpec(spec: Msg = {}): Msg {
  const structured = [...(spec.structuredCalendar ?? []), ...(spec.calendar ?? []).map(structuredFromCalendar)];
  const interval = [...(spec.interval ?? [])];
  let timezoneName: string = spec.timezoneName ?? '';
  for (const cron of spec.cronString ?? []) {
    const parsed = parseCronString(cron, parseDuration);
    if (parsed.calendar) structured.push(parsed.calendar);
    if (parsed.interval) interval.push({ interval: duration(parsed.interval.interval), phase: duration(parsed.interval.phase) });
    if (parsed.timezone) {
      if (timezoneName && timezoneName !== parsed.timezone) throw invalidArgument('CronString time zones differ');
      timezoneName = parsed.timezone;
    }
  }
  for (const iv of interval) if (ms(iv.interval) < 1000) throw invalidArgument('Interval is too small');
  if (timezoneName && !Info.isValidIANAZone(timezoneName)) throw invalidArgument(`invalid time zone name: ${timezoneName}`);
  const exclude = [...(spec.excludeStructuredCalendar ?? []), ...(spec.excludeCalendar ?? []).map(structuredFromCalendar)];
  const { cronString: _cron, calendar: _calendar, excludeCalendar: _exclude, ...rest } = spec;
  return { ...rest, structuredCalendar: structured, interval, excludeStructuredCalendar: exclude, timezoneName };
}

export interface ActionTime {
  nominal: number;
  actual: number;
}

export class CompiledSpec {
  private readonly calendars: CompiledCalendar[];
  private readonly excludes: CompiledCalendar[];
  private readonly intervals: { interval: number; phase: number }[];
  private readonly start: number;
  private readonly end: number;
  private readonly jitter: number;

  /** `spec` in canonical form. */
  constructor(spec: Msg) {
    const zone = spec.timezoneName || 'UTC';
    this.calendars = (spec.structuredCalendar ?? []).map((c: Msg) => new CompiledCalendar(c, zone));
    this.excludes = (spec.excludeStructuredCalendar ?? []).map((c: Msg) => new CompiledCalendar(c, zone));
    this.intervals = (spec.interval ?? []).map((iv: Msg) => ({ interval: Math.max(1000, ms(iv.interval)), phase: ms(iv.phase) }));
    this.start = fromTimestamp(spec.startTime) ?? 0;
    this.end = fromTimestamp(spec.endTime) ?? Infinity;
    this.jitter = ms(spec.jitter);
  }

  private rawNext(after: number): number | undefined {
    let min = Infinity;
    for (const cal of this.calendars) min = Math.min(min, cal.next(after) ?? Infinity);
    const seconds = Math.floor(after / 1000) * 1000;
    for (const { interval, phase } of this.intervals) min = Math.min(min, (Math.floor((seconds - phase) / interval) + 1) * interval + phase);
    return Number.isFinite(min) ? min : undefined;
  }

  /** The first action after `after` (epoch ms); jitter is deterministic per nominal time and `seed`. */
  next(after: number, seed: string): ActionTime | undefined {
    let t = Math.max(after, this.start - 1000);
    let nominal: number | undefined;
    do {
      nominal = this.rawNext(t);
      if (nominal === undefined || nominal > this.end) return undefined;
      t = nominal;
    } while (this.excludes.some((x) => x.matches(nominal!)));
    // Jitter never pushes an action past the following nominal time.
    const following = this.rawNext(nominal);
    const maxJitter = Math.min(this.jitter, following === undefined ? Infinity : following - nominal);
    if (maxJitter <= 0) return { nominal, actual: nominal };
    const hash = createHash('sha256').update(`${nominal}:${seed}`).digest().readUInt32BE(0);
    return { nominal, actual: nominal + Math.floor((hash / 2 ** 32) * maxJitter) };
  }

  /** Actions with actual times in (from, to]. */
  between(from: number, to: number, seed: string, limit = 1000): ActionTime[] {
    const out: ActionTime[] = [];
    let t = from;
    // Jitter can put a nominal time before `from` among them: start a bit earlier.
    for (let a = this.next(from - this.jitter, seed); a && a.nominal <= to && out.length < limit; a = this.next(t, seed)) {
      t = a.nominal;
      if (a.actual > from && a.actual <= to) out.push(a);
    }
    return out;
  }
}
