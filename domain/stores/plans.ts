/**
 * Store plans: how many stores an organization may connect and how far back a backfill reaches.
 * Kept apart from the organization's jobs plan (free/pro): the two products are billed separately.
 */
export const STORE_PLANS = ['basic', 'plus', 'pro'] as const;
export type StorePlan = (typeof STORE_PLANS)[number];

export interface StorePlanLimits {
  stores: number;
  historyDays: number;
}

export const STORE_PLAN_LIMITS: Record<StorePlan, StorePlanLimits> = {
  basic: { stores: 1, historyDays: 30 },
  plus: { stores: 5, historyDays: 90 },
  pro: { stores: 25, historyDays: 365 },
};

export const DEFAULT_STORE_PLAN: StorePlan = 'basic';

export function isStorePlan(value: unknown): value is StorePlan {
  return typeof value === 'string' && (STORE_PLANS as readonly string[]).includes(value);
}

export function storeLimitsOf(plan: string): StorePlanLimits {
  return isStorePlan(plan) ? STORE_PLAN_LIMITS[plan] : STORE_PLAN_LIMITS[DEFAULT_STORE_PLAN];
}
