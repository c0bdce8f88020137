import type { Knex } from 'knex';

/** Mail sent without SMTP_URL lands here, so a developer can open a provider's link on one machine. */
export async function up(db: Knex): Promise<void> {
  await db.raw('create extension if not exists btree_gist');
  await db.schema.createTable('dev_outbox', (t) => {
    t.bigIncrements('id');
    t.text('to_address').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body');
    t.text('idempotency_key').unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('dev_outbox');
}
