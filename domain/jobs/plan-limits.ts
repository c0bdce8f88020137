export const PLANS = ['free', 'pro'] as const;
export type Plan = (typeof PLANS)[number];

export interface PlanLimits {
  /** null: unlimited. */
  jobs: number | null;
  /** Runs started in a calendar month (UTC); retries of a run do not count again. */
  executionsPerMonth: number;
  /** The shortest time between two runs a schedule may ask for: a run a second spends a month's runs in hours. */
  minIntervalSeconds: number;
  /** Days an execution (each attempt) stays in the history; older ones are pruned. */
  historyDays: number;
}

export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  // Free keeps the 30 days a job's day chart shows.
  free: { jobs: 5, executionsPerMonth: 5_000, minIntervalSeconds: 60, historyDays: 30 },
  pro: { jobs: null, executionsPerMonth: 250_000, minIntervalSeconds: 1, historyDays: 365 },
};

/** An unknown plan name (say, one retired later) gets the free limits rather than none. */
export function limitsOf(plan: string): PlanLimits {
  return PLAN_LIMITS[plan as Plan] ?? PLAN_LIMITS.free;
}

/** Whether an organization with `current` jobs may have `current + adding`. */
export function jobsAllowed(plan: string, current: number, adding: number): boolean {
  const { jobs } = limitsOf(plan);
  return jobs === null || adding <= 0 || current + adding <= jobs;
}

/** The first instant of `now`'s month in UTC, as the date the usage counter is kept under. */
export function usageMonth(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
}
