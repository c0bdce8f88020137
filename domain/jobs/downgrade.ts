import { toJobSchedule, type ScheduleInput } from './job-definition.ts';
import { limitsOf } from './plan-limits.ts';
import { checkScheduleInterval } from './schedule-interval.ts';

export interface WeighedJob {
  id: number;
  name: string;
  schedule: ScheduleInput;
  timezone: string;
}

export interface DowngradeImpact {
  plan: string;
  /** Jobs past the plan's count, the newest ones (the oldest keep their place), none when the count fits. */
  overJobLimit: Array<{ id: number; name: string }>;
  /** Jobs whose schedule fires more often than the plan allows. */
  tooFrequent: Array<{ id: number; name: string; shortestSeconds: number }>;
  /** This month's runs beyond the plan's monthly runs (0 when within): later runs would be skipped. */
  executionsOver: number;
}

/**
 * What moving to `plan` would stop: the jobs it has no room for, those that fire too often for it,
 * and how far this month's runs already exceed it. `jobs` oldest first.
 */
export function downgradeImpact(plan: string, jobs: WeighedJob[], executionsThisMonth: number, now: Date): DowngradeImpact {
  const limits = limitsOf(plan);
  const overJobLimit = limits.jobs === null ? [] : jobs.slice(limits.jobs).map(({ id, name }) => ({ id, name }));
  const tooFrequent = jobs.flatMap(({ id, name, schedule, timezone }) => {
    const check = checkScheduleInterval(plan, toJobSchedule(schedule, timezone), now);
    return check.ok ? [] : [{ id, name, shortestSeconds: check.shortestSeconds }];
  });
  return { plan, overJobLimit, tooFrequent, executionsOver: Math.max(0, executionsThisMonth - limits.executionsPerMonth) };
}
