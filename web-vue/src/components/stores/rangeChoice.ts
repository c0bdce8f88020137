import type { LocationQuery } from 'vue-router';
import type { RangeFigures } from '../../api/stores';

/**
 * The dashboard's date range, as the URL keeps it (`?range=last7&compare=year`, or
 * `?range=custom&from=…&to=…`): a shared or reloaded link shows the same range. A preset stays
 * relative to the store's today, so "today" opened tomorrow is tomorrow.
 */
export type RangePreset = 'today' | 'yesterday' | 'last7' | 'last30' | 'month' | 'custom';
export type Comparison = RangeFigures['compare'];

export interface RangeChoice {
  preset: RangePreset;
  from: string;
  to: string;
  compare: Comparison;
}

export const PRESETS: Array<{ value: RangePreset; label: string }> = [
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: 'last7', label: 'Last 7 days' },
  { value: 'last30', label: 'Last 30 days' },
  { value: 'month', label: 'This month' },
  { value: 'custom', label: 'Custom range' },
];

export const COMPARISONS: Array<{ value: Comparison; label: string }> = [
  { value: 'previous', label: 'Previous period' },
  { value: 'year', label: 'Same period last year' },
  { value: 'none', label: 'No comparison' },
];

/** The API answers ranges of at most this many days. */
const MAX_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Calendar arithmetic on "YYYY-MM-DD", in UTC, so that the browser's own timezone never shifts a day. */
export function shiftDay(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

const isDay = (value: unknown): value is string => typeof value === 'string' && DAY.test(value) && !Number.isNaN(Date.parse(value)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** The store's calendar day at `at` (milliseconds), "YYYY-MM-DD". */
export function dayIn(timezone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** A preset's days, both included, ending on the store's `today`. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, today: string): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: shiftDay(today, -1), to: shiftDay(today, -1) };
    case 'last7':
      return { from: shiftDay(today, -6), to: today };
    case 'last30':
      return { from: shiftDay(today, -29), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** Whether a custom range is one the API answers. */
export function isValidRange(from: string, to: string): boolean {
  return isDay(from) && isDay(to) && from <= to && (Date.parse(to) - Date.parse(from)) / 86_400_000 < MAX_DAYS;
}

/** What the URL asks for; anything it cannot mean is today against the day before. */
export function choiceFromQuery(query: LocationQuery, today: string): RangeChoice {
  const compare = COMPARISONS.some((c) => c.value === query.compare) ? (query.compare as Comparison) : 'previous';
  const preset = PRESETS.some((p) => p.value === query.range) ? (query.range as RangePreset) : 'today';
  if (preset === 'custom') {
    const { from, to } = query;
    if (typeof from === 'string' && typeof to === 'string' && isValidRange(from, to)) return { preset, from, to, compare };
    return { preset: 'today', ...presetRange('today', today), compare };
  }
  return { preset, ...presetRange(preset, today), compare };
}

/** The URL's part for a choice: a preset by name, a custom range by its days. */
export function queryOf(choice: RangeChoice): Record<string, string | undefined> {
  return { range: choice.preset, compare: choice.compare, from: choice.preset === 'custom' ? choice.from : undefined, to: choice.preset === 'custom' ? choice.to : undefined };
}
