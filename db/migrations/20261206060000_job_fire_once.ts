import type { Knex } from 'knex';

/**
 * A scheduled fire of a job (its first attempt, scheduled or caught up) is one row per scheduled
 * time, whichever run claims it first: a window retried while its slow first try still goes, and
 * the actor planning past it, can no longer both send the same fire. Rows from before this
 * migration may hold such doubles (they were sent); they stay as history, outside the index.
 */
export async function up(db: Knex): Promise<void> {
  const [{ max }] = await db('job_executions').max<{ max: string | null }[]>('id as max');
  const since = Number(max ?? 0);
  await db.raw(`create unique index job_executions_one_fire_idx on job_executions (job_id, scheduled_for) where attempt = 1 and trigger <> 'manual' and id > ${since}`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index job_executions_one_fire_idx');
}
