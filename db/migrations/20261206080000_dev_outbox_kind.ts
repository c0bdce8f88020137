import type { Knex } from 'knex';

/** The dev outbox's mails get a kind (booking, job, store…) to filter by; older rows get theirs from their key. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('dev_outbox', (t) => {
    t.text('kind').notNullable().defaultTo('other');
    t.index(['kind', 'id']);
  });
  await db.raw(`update dev_outbox set kind = case
    when idempotency_key like 'booking%' then 'booking'
    when idempotency_key like 'invitation%' then 'invitation'
    when idempotency_key like 'job%' then 'job'
    when idempotency_key like 'store%' then 'store'
    when idempotency_key like 'sign-up%' then 'account'
    when idempotency_key like 'comment%' then 'board'
    else 'other' end`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('dev_outbox', (t) => t.dropColumn('kind'));
}
