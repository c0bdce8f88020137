import type { AppContext } from '../../context.ts';
import { countJobs, jobsOfOrganization } from '../../../db/repositories/jobs.ts';
import { executionsThisMonth, planOf } from '../../../db/repositories/jobs-usage.ts';
import { PLAN_LIMITS, limitsOf, usageMonth } from '../../../domain/jobs/plan-limits.ts';
import { downgradeImpact } from '../../../domain/jobs/downgrade.ts';

/**
 * The Lemon Squeezy checkout for this organization: `checkout[custom][organization_id]` comes back
 * in the subscription webhook's `meta.custom_data`, which is how the webhook knows whose plan to change.
 */
export function checkoutUrlFor(base: string | undefined, organizationId: number): string | null {
  if (!base) return null;
  const url = new URL(base);
  url.searchParams.set('checkout[custom][organization_id]', String(organizationId));
  return url.toString();
}

/** GET /orgs/:orgId/billing: the plan, this month's usage against it, the way up, and what the way down would stop. */
export async function billingOverview(ctx: AppContext, organizationId: number) {
  const now = new Date();
  const month = usageMonth(now);
  const [plan, jobs, executions] = await Promise.all([planOf(ctx.db, organizationId), countJobs(ctx.db, organizationId), executionsThisMonth(ctx.db, organizationId, month)]);
  const limits = limitsOf(plan);
  return {
    plan,
    month,
    usage: { jobs: { used: jobs, limit: limits.jobs }, executions: { used: executions, limit: limits.executionsPerMonth } },
    plans: PLAN_LIMITS,
    checkoutUrl: plan === 'free' ? checkoutUrlFor(ctx.config.LEMONSQUEEZY_CHECKOUT_URL, organizationId) : null,
    downgrade: plan === 'free' ? null : downgradeImpact('free', await jobsOfOrganization(ctx.db, organizationId), executions, now),
  };
}
