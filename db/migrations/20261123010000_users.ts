import type { Knex } from 'knex';

/** People who sign in. Emails are stored lower-cased, so the unique key is case-insensitive. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable().unique();
    t.text('name').notNullable();
    t.text('role').notNullable().checkIn(['admin', 'provider', 'customer'], 'users_role_check');
    t.text('password_hash').notNullable();
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('alter table users add constraint users_email_lower_check check (email = lower(email))');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('users');
}
