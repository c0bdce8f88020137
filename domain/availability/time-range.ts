/** Half-open real-time ranges in epoch milliseconds: [startMs, endMs). */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

export const MINUTE_MS = 60_000;

export function rangesOverlap(a: TimeRange, b: TimeRange): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

export function padRange(range: TimeRange, beforeMinutes: number, afterMinutes: number): TimeRange {
  return { startMs: range.startMs - beforeMinutes * MINUTE_MS, endMs: range.endMs + afterMinutes * MINUTE_MS };
}

export function rangeOfIso(range: { start: string; end: string }): TimeRange {
  return { startMs: Date.parse(range.start), endMs: Date.parse(range.end) };
}
