import type { Knex } from 'knex';
import type { Db } from '../connection.ts';

type Queryable = Db | Knex.Transaction;

/**
 * Counts up to `count` executions against the organization's month without passing `limit`, and
 * answers how many it counted. One statement, so concurrent runs can never together go over
 * (`old` and `new` in RETURNING are PostgreSQL 18's).
 */
export async function reserveExecutions(db: Queryable, organizationId: number, month: string, limit: number, count: number): Promise<number> {
  const result = await db.raw<{ rows: Array<{ counted: number }> }>(
    `insert into job_usage as u (organization_id, month, executions) values (:organizationId, :month, least(:limit::int, :count::int))
     on conflict (organization_id, month) do update set executions = greatest(u.executions, least(:limit::int, u.executions + :count::int))
     returning new.executions - coalesce(old.executions, 0) as counted`,
    { organizationId, month, limit, count },
  );
  return Number(result.rows[0].counted);
}

export async function executionsThisMonth(db: Queryable, organizationId: number, month: string): Promise<number> {
  const row = await db('job_usage').where({ organization_id: organizationId, month }).first('executions');
  return row?.executions ?? 0;
}

export async function planOf(db: Queryable, organizationId: number): Promise<string> {
  const row = await db('organizations').where({ id: organizationId }).first('plan');
  return row?.plan ?? 'free';
}
