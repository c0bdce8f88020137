import type { Knex } from 'knex';

/** A job's own notification targets over its organization's (domain/jobs/job-notifications.ts); none so far. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('jobs', (t) => {
    t.jsonb('notifications').notNullable().defaultTo(JSON.stringify({ email: null, webhookUrl: null }));
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('jobs', (t) => {
    t.dropColumn('notifications');
  });
}
