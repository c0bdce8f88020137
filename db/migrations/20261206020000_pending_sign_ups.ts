import type { Knex } from 'knex';

/**
 * Sign-ups waiting for their email to be confirmed. The account is made only from the link in the
 * mail, so the sign-up answer can be the same whether the email is new or taken (no enumeration),
 * and nobody can hold an address they do not read. The link's token is stored only as its sha256.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('pending_sign_ups', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('name').notNullable();
    t.text('role').notNullable().checkIn(['customer', 'provider'], 'pending_sign_ups_role_check');
    t.text('password_hash').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['email']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('pending_sign_ups');
}
