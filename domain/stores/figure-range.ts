import { DateTime } from 'luxon';
import { z } from 'zod';
import { averageOrderValue } from './metric-buckets.ts';
import type { PeriodFigures, RangeFigures } from './views.ts';

/**
 * A date range of the store's own calendar (both days included) and what it is compared with:
 * the days just before it, the same days a year earlier, or nothing. The figures of a range of a
 * few days go by hour, longer ones by day.
 */
export interface DateRange {
  from: string;
  to: string;
}

export type Comparison = 'previous' | 'year' | 'none';
export type Bucket = 'hour' | 'day';

/** A year and a day: "this day last year" to today. */
export const MAX_RANGE_DAYS = 366;
/** Up to this many days go by hour unless the request says otherwise. */
export const HOURLY_UP_TO_DAYS = 2;
/** By hour at most this many days: a week is 168 points, a chart still readable. */
export const MAX_HOURLY_DAYS = 7;

const DAY_MS = 86_400_000;
const day = z.iso.date();

/** Days in the range, both ends included. */
export function daysIn(range: DateRange): number {
  return Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;
}

export const figureRangeQuerySchema = z
  .object({
    from: day,
    to: day,
    compare: z.enum(['previous', 'year', 'none']).default('previous'),
    bucket: z.enum(['hour', 'day']).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
    const days = daysIn(q);
    if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `a range is at most ${MAX_RANGE_DAYS} days` });
    if (q.bucket === 'hour' && days > MAX_HOURLY_DAYS) ctx.addIssue({ code: 'custom', path: ['bucket'], message: `by hour, a range is at most ${MAX_HOURLY_DAYS} days` });
  })
  .transform((q) => ({ range: { from: q.from, to: q.to }, compare: q.compare as Comparison, bucket: (q.bucket ?? (daysIn(q) <= HOURLY_UP_TO_DAYS ? 'hour' : 'day')) as Bucket }));

export type FigureRangeQuery = z.output<typeof figureRangeQuerySchema>;

const shiftDays = (date: string, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

/** The period a range is compared with; a year back, 29 February becomes the 28th. */
export function comparisonOf(range: DateRange, compare: Comparison): DateRange | null {
  if (compare === 'none') return null;
  if (compare === 'year') {
    const yearBack = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).minus({ years: 1 }).toISODate()!;
    return { from: yearBack(range.from), to: yearBack(range.to) };
  }
  const days = daysIn(range);
  return { from: shiftDays(range.from, -days), to: shiftDays(range.from, -1) };
}

/**
 * The range's buckets, in order: its days, or each day's hours 00-23 as "YYYY-MM-DDTHH". An hour
 * a DST change skips is an empty bucket; the hour repeated at fall-back sums its two into one,
 * so that every day has 24 and a range lines up with its comparison bucket by bucket.
 */
export function bucketsOf(range: DateRange, bucket: Bucket): string[] {
  const days = Array.from({ length: daysIn(range) }, (_, i) => shiftDays(range.from, i));
  return bucket === 'day' ? days : days.flatMap((d) => Array.from({ length: 24 }, (_, h) => `${d}T${String(h).padStart(2, '0')}`));
}

/** The instants the range starts and ends at in the store's timezone (the end excluded). */
export function instantsOf(range: DateRange, timezone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(range.from, { zone: timezone }).startOf('day');
  const end = DateTime.fromISO(range.to, { zone: timezone }).plus({ days: 1 }).startOf('day');
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** The change from `before` to `now` in percent, one decimal; null when there was nothing before. */
export function percentChange(now: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((now - before) / Math.abs(before)) * 1000) / 10;
}

/** A bucket's figures as kept: net sales, what refunds took off them, orders and units. */
export interface BucketFigures {
  revenueMinor: number;
  refundsMinor: number;
  orders: number;
  units: number;
}

function periodOf(buckets: Iterable<BucketFigures>): PeriodFigures {
  const sum = { revenueMinor: 0, refundsMinor: 0, orders: 0, units: 0 };
  for (const b of buckets) {
    sum.revenueMinor += b.revenueMinor;
    sum.refundsMinor += b.refundsMinor;
    sum.orders += b.orders;
    sum.units += b.units;
  }
  // A refund of last week's order must not drag this period's average order below zero.
  return { netSalesMinor: sum.revenueMinor, refundsMinor: sum.refundsMinor, orders: sum.orders, units: sum.units, aovMinor: averageOrderValue(sum.revenueMinor + sum.refundsMinor, sum.orders) };
}

/** The answer for a range: its totals and its comparison's, the change in percent, and the chart's points side by side. */
export function rangeFiguresOf(
  store: { currency: string; timezone: string },
  query: FigureRangeQuery,
  current: Map<string, BucketFigures>,
  comparison: { range: DateRange; figures: Map<string, BucketFigures> } | null,
): RangeFigures {
  const now = periodOf(current.values());
  const before = comparison ? periodOf(comparison.figures.values()) : null;
  const change = (pick: (p: PeriodFigures) => number) => (before ? percentChange(pick(now), pick(before)) : null);
  const theirs = comparison ? bucketsOf(comparison.range, query.bucket) : [];
  const point = (bucket: string, figures: Map<string, BucketFigures>) => ({ bucket, netSalesMinor: figures.get(bucket)?.revenueMinor ?? 0, orders: figures.get(bucket)?.orders ?? 0 });
  return {
    currency: store.currency,
    timezone: store.timezone,
    range: query.range,
    compare: query.compare,
    comparisonRange: comparison?.range ?? null,
    bucket: query.bucket,
    current: now,
    comparison: before,
    change: { netSales: change((p) => p.netSalesMinor), orders: change((p) => p.orders), aov: change((p) => p.aovMinor), units: change((p) => p.units) },
    points: bucketsOf(query.range, query.bucket).map((bucket, i) => ({
      ...point(bucket, current),
      comparison: comparison && i < theirs.length ? point(theirs[i], comparison.figures) : null,
    })),
  };
}
