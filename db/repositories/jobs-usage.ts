import type { Knex } from 'knex';
import type { Db } from '../connection.ts';

type Queryable = Db | Knex.Transaction;

/**
 * Counts one execution against the organization's month, unless that would pass `limit`. One
 * statement, so concurrent runs can never together go over. True when counted.
 */
export async function reserveExecution(db: Queryable, organizationId: number, month: string, limit: number): Promise<boolean> {
  const result = await db.raw<{ rows: unknown[] }>(
    `insert into job_usage as u (organization_id, month, executions) values (?, ?, 1)
     on conflict (organization_id, month) do update set executions = u.executions + 1 where u.executions < ?
     returning executions`,
    [organizationId, month, limit],
  );
  return result.rows.length > 0;
}

export async function executionsThisMonth(db: Queryable, organizationId: number, month: string): Promise<number> {
  const row = await db('job_usage').where({ organization_id: organizationId, month }).first('executions');
  return row?.executions ?? 0;
}

export async function planOf(db: Queryable, organizationId: number): Promise<string> {
  const row = await db('organizations').where({ id: organizationId }).first('plan');
  return row?.plan ?? 'free';
}
