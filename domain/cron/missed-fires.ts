import { cronIterator } from './cron-expression.ts';
import type { JobSchedule } from './schedule.ts';

export const MISSED_FIRES_LIMIT = 100;

/**
 * The fire times in (lastFiredAt, now] that did not run, e.g. while the worker was down; pass the
 * job's creation time as `lastFiredAt` if it never fired. Walks back from `now`, so the list holds
 * the most recent `limit` of them, earliest first, however long the outage was.
 */
export function missedFires(schedule: JobSchedule, lastFiredAt: Date, now: Date, limit = MISSED_FIRES_LIMIT): Date[] {
  if (schedule.kind === 'once') {
    const at = new Date(schedule.at);
    return at > lastFiredAt && at <= now ? [at] : [];
  }
  // One millisecond past now, because the iterator starts strictly before its current date.
  const iterator = cronIterator(schedule.expression, schedule.timezone, new Date(now.getTime() + 1));
  const missed: Date[] = [];
  while (missed.length < limit) {
    const fire = iterator.prev().toDate();
    if (fire <= lastFiredAt) break;
    missed.unshift(fire);
  }
  return missed;
}

export type CatchUpPolicy = 'run_once' | 'skip';

export interface CatchUpDecision {
  /** The scheduled time to run now, on behalf of all missed fires; null to run nothing. */
  runScheduledFor: Date | null;
  /** Fires that will never run, to record as skipped. */
  skipped: Date[];
}

/** `run_once` runs the latest missed fire (the freshest state to act on) and skips the rest; `skip` skips all. */
export function catchUpDecision(policy: CatchUpPolicy, missed: readonly Date[]): CatchUpDecision {
  if (policy === 'skip' || missed.length === 0) return { runScheduledFor: null, skipped: [...missed] };
  return { runScheduledFor: missed[missed.length - 1], skipped: missed.slice(0, -1) };
}
