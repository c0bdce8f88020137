import type { Knex } from 'knex';

/**
 * A replay is a new execution of a failed one's request, linked to it (`replay_of`), with a trigger
 * of its own so the history and the figures can tell it from a scheduled or manual run.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table job_executions drop constraint job_executions_trigger_check');
  await db.raw("alter table job_executions add constraint job_executions_trigger_check check (trigger in ('schedule', 'manual', 'catch_up', 'replay'))");
  await db.schema.alterTable('job_executions', (t) => {
    // A replay outlives nothing: its original goes with the job, or with retention, and the link with it.
    t.bigInteger('replay_of').nullable().references('id').inTable('job_executions').onDelete('SET NULL');
    t.index(['replay_of'], 'job_executions_replay_of_idx', { predicate: db.whereNotNull('replay_of') });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('job_executions', (t) => {
    t.dropIndex(['replay_of'], 'job_executions_replay_of_idx');
    t.dropColumn('replay_of');
  });
  await db.raw("delete from job_executions where trigger = 'replay'");
  await db.raw('alter table job_executions drop constraint job_executions_trigger_check');
  await db.raw("alter table job_executions add constraint job_executions_trigger_check check (trigger in ('schedule', 'manual', 'catch_up'))");
}
