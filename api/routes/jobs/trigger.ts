import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { JobRow } from '../../../db/repositories/jobs.ts';
import { insertUnrunFires } from '../../../db/repositories/executions.ts';
import { executionsThisMonth, planOf } from '../../../db/repositories/jobs-usage.ts';
import { limitsOf, usageMonth } from '../../../domain/jobs/plan-limits.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { executionView, jobsTopic } from '../../../db/repositories/job-views.ts';
import { Problem } from '../../http/problem.ts';
import { schedulerOf, tellActors, triggerActor } from './actors.ts';

/**
 * POST /jobs/:id/trigger: a run now, outside the schedule. Over the month's execution limit the run
 * is recorded as skipped and the caller gets 429; otherwise the actor runs it and the answer names
 * the run, whose executions can be listed with `?runId=`.
 */
export async function triggerJob(ctx: AppContext, job: JobRow): Promise<{ runId: string }> {
  const temporal = schedulerOf(ctx);
  const runId = randomUUID();
  const now = new Date();
  const plan = await planOf(ctx.db, job.organization_id);
  const { executionsPerMonth } = limitsOf(plan);
  if ((await executionsThisMonth(ctx.db, job.organization_id, usageMonth(now))) >= executionsPerMonth) {
    await ctx.db.transaction(async (trx) => {
      const reason = `The ${plan} plan's limit of ${executionsPerMonth} executions this month is reached.`;
      const [row] = await insertUnrunFires(trx, [{ jobId: job.id, organizationId: job.organization_id, runId, attempt: 1, trigger: 'manual', scheduledFor: now, status: 'skipped', error: reason }]);
      await publish(trx, jobsTopic(job.organization_id), 'execution.finished', executionView(row));
    });
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    throw new Problem(
      429,
      'plan-limit-executions',
      'Plan limit reached',
      `The ${plan} plan allows ${executionsPerMonth} executions a month; this run was recorded as skipped. Upgrade to Pro, or wait for the next month.`,
      { plan, limit: executionsPerMonth, runId },
      { 'Retry-After': String(Math.ceil((nextMonth.getTime() - now.getTime()) / 1000)) },
    );
  }
  await tellActors(temporal, () => triggerActor(temporal, job, runId));
  return { runId };
}
