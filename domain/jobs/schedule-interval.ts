import { nextRuns } from '../cron/next-runs.ts';
import type { JobSchedule } from '../cron/schedule.ts';
import { limitsOf } from './plan-limits.ts';

/**
 * Fires looked at: two whole minutes of even an every-second schedule, and for coarser ones
 * days to months of their pattern, where the closest two fires show.
 */
const SAMPLE = 121;
/** Cron's finest step: a limit this low holds for every schedule, with nothing to compute. */
const FINEST_SECONDS = 1;

/** The shortest time between consecutive fires among the next ones after `from`, in seconds; null when it fires once at most. */
export function shortestIntervalSeconds(schedule: JobSchedule, from: Date): number | null {
  const fires = nextRuns(schedule, from, SAMPLE);
  let shortest: number | null = null;
  for (let i = 1; i < fires.length; i++) {
    const gap = (fires[i].getTime() - fires[i - 1].getTime()) / 1000;
    if (shortest === null || gap < shortest) shortest = gap;
  }
  return shortest;
}

export type IntervalCheck = { ok: true } | { ok: false; minIntervalSeconds: number; shortestSeconds: number };

/** Whether the plan allows a schedule this frequent (PlanLimits.minIntervalSeconds). */
export function checkScheduleInterval(plan: string, schedule: JobSchedule, now: Date): IntervalCheck {
  const { minIntervalSeconds } = limitsOf(plan);
  if (minIntervalSeconds <= FINEST_SECONDS) return { ok: true };
  const shortest = shortestIntervalSeconds(schedule, now);
  return shortest === null || shortest >= minIntervalSeconds ? { ok: true } : { ok: false, minIntervalSeconds, shortestSeconds: shortest };
}
