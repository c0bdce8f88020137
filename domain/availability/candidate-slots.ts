import { instantsOfWallTime, wallIntervalRanges, type LocalDay } from './local-day.ts';
import { minuteOfDay, type LocalInterval } from './schemas.ts';
import { MINUTE_MS, type TimeRange } from './time-range.ts';

export interface SlotShape {
  durationMinutes: number;
  stepMinutes: number;
}

/**
 * The slots one working interval offers, before anything is booked or blocked.
 *
 * Starts sit on the provider's wall-clock grid (interval start + k × step), so a 09:00–17:00
 * template gives 09:00, 10:00, … local on both sides of a DST change. A slot lasts
 * `durationMinutes` of real time and must fit in the real time during which the clock reads
 * within the interval.
 *
 * - A start in a spring-forward gap never appears on the clock, so it is skipped.
 * - A start in a fall-back's repeated hour happens twice. Each real instant is offered when its
 *   slot fits the interval: 00:00–04:00 with hour slots offers 02:00 twice (before and after the
 *   clocks go back), while 01:00–03:00 with 90-minute slots offers 02:30 once, because the
 *   second 02:30 slot would end at 04:00. Then any start closer than one step (real time) to the
 *   previous one is dropped, so repeated-hour slots never duplicate or overlap each other.
 */
export function candidateSlots(day: LocalDay, interval: LocalInterval, shape: SlotShape): TimeRange[] {
  const startMinute = minuteOfDay(interval.start);
  const endMinute = minuteOfDay(interval.end);
  const working = wallIntervalRanges(day, startMinute, endMinute);
  const durationMs = shape.durationMinutes * MINUTE_MS;

  const fitting: TimeRange[] = [];
  for (let minute = startMinute; minute < endMinute; minute += shape.stepMinutes) {
    for (const startMs of instantsOfWallTime(day, minute)) {
      const slot = { startMs, endMs: startMs + durationMs };
      if (working.some((w) => slot.startMs >= w.startMs && slot.endMs <= w.endMs)) fitting.push(slot);
    }
  }
  fitting.sort((a, b) => a.startMs - b.startMs);

  const stepMs = shape.stepMinutes * MINUTE_MS;
  const kept: TimeRange[] = [];
  for (const slot of fitting) {
    const previous = kept.at(-1);
    if (!previous || slot.startMs - previous.startMs >= stepMs) kept.push(slot);
  }
  return kept;
}
