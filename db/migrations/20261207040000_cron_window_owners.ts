import type { Knex } from 'knex';

/**
 * Windows of cron fires held by worker processes, and each process's lease. A window's activity
 * does not heartbeat (10,000 windows would be 10,000 heartbeats a second): its process renews one
 * lease for all of them, and a live process hands the windows of a lapsed one back to Temporal
 * (failing the attempt by its task token), which retries them on a live worker.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('cron_window_owners', (t) => {
    t.text('owner').primary();
    t.timestamp('alive_until', { useTz: true }).notNullable();
  });
  await db.schema.createTable('cron_fire_windows', (t) => {
    t.binary('task_token').primary();
    t.bigInteger('job_id').notNullable();
    t.text('owner').notNullable().index();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('cron_fire_windows');
  await db.schema.dropTable('cron_window_owners');
}
