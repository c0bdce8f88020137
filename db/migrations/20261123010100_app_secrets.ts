import type { Knex } from 'knex';

/** Secrets generated on first start when APP_SECRET is not set, so sessions and tokens survive restarts. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('app_secrets', (t) => {
    t.text('name').primary();
    t.text('value').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('app_secrets');
}
