import type { Db } from '../connection.ts';
import { PLAN_LIMITS, limitsOf } from '../../domain/jobs/plan-limits.ts';

/** Rows deleted per statement: short transactions beside the attempts being written. */
const BATCH = 5_000;

/**
 * Deletes the executions (every attempt is one) older than the organization's plan keeps
 * (PlanLimits.historyDays), measured from when they were due; an attempt still pending or running
 * stays whatever its age. In batches until none is left; `skip locked` lets several API processes
 * prune side by side without waiting on each other. Answers how many rows went.
 */
export async function pruneExecutionHistory(db: Db, now = new Date()): Promise<number> {
  const days = Object.entries(PLAN_LIMITS).map(([plan, limits]) => ({ plan, days: limits.historyDays }));
  let total = 0;
  for (;;) {
    // Organization by organization, so each look is a range of the (organization_id, scheduled_for) index.
    const result = await db.raw(
      `with kept as (select * from jsonb_to_recordset(?::jsonb) as k(plan text, days int)),
       doomed as (
         select x.id from organizations o
         left join kept on kept.plan = o.plan
         cross join lateral (
           select e.id from job_executions e
           where e.organization_id = o.id
             and e.scheduled_for < ?::timestamptz - make_interval(days => coalesce(kept.days, ?))
             and e.status not in ('pending', 'running')
           limit ? for update skip locked) x
         limit ?)
       delete from job_executions e using doomed where e.id = doomed.id`,
      [JSON.stringify(days), now.toISOString(), limitsOf('').historyDays, BATCH, BATCH],
    );
    total += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < BATCH) return total;
  }
}
