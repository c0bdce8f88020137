import { cronIterator } from './cron-expression.ts';
import type { JobSchedule } from './schedule.ts';

/**
 * The next `count` fire times strictly after `after`, earliest first (a one-time job has at most
 * one). DST follows cron-parser, checked by our tests: a wall time in a spring-forward gap fires
 * once, shifted forward by the gap (02:30 in Berlin on 2026-03-29 runs at 03:30 CEST); a wall time
 * in a fall-back's repeated hour fires once, at its first occurrence; `*` and step fields keep
 * counting real time, so `*\/15` fires 92 times on a 23-hour day and 100 on a 25-hour day.
 */
export function nextRuns(schedule: JobSchedule, after: Date, count: number): Date[] {
  if (schedule.kind === 'once') {
    const at = new Date(schedule.at);
    return count > 0 && at > after ? [at] : [];
  }
  return cronIterator(schedule.expression, schedule.timezone, after)
    .take(count)
    .map((d) => d.toDate());
}
