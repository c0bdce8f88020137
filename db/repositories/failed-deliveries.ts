import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { ExecutionRow } from './executions.ts';
import { FAILED_DELIVERY_STATUSES } from '../../domain/jobs/execution-status.ts';

type Queryable = Db | Knex.Transaction;

export type FailedDeliveryRow = ExecutionRow & { job_name: string; last_replay_id: number | null; last_replay_status: ExecutionRow['status'] | null };

/**
 * The organization's dead letters, newest first: runs whose last attempt failed (their retries
 * spent), each with the latest replay of it. Failed replays are not listed again on their own: they
 * show as their original's last replay.
 */
export async function listFailedDeliveries(db: Queryable, organizationId: number, filter: { jobId?: number; limit: number; offset: number }): Promise<{ items: FailedDeliveryRow[]; total: number }> {
  const base = db('job_executions as e')
    .join('jobs as j', 'j.id', 'e.job_id')
    .where('e.organization_id', organizationId)
    .whereIn('e.status', [...FAILED_DELIVERY_STATUSES])
    .whereNot('e.trigger', 'replay')
    .whereNotExists((later) => later.select(db.raw('1')).from('job_executions as n').whereRaw('n.job_id = e.job_id and n.run_id = e.run_id and n.attempt > e.attempt'));
  if (filter.jobId) base.where('e.job_id', filter.jobId);
  const [items, [{ count }]] = await Promise.all([
    base
      .clone()
      .joinRaw('left join lateral (select r.id as last_replay_id, r.status as last_replay_status from job_executions r where r.replay_of = e.id order by r.id desc limit 1) as r on true')
      .select('e.*', 'j.name as job_name', 'r.last_replay_id', 'r.last_replay_status')
      .orderBy('e.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset),
    base.clone().count<{ count: string }[]>({ count: '*' }),
  ]);
  return { items: items as FailedDeliveryRow[], total: Number(count) };
}
