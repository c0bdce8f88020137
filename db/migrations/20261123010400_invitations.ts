import type { Knex } from 'knex';

/** Invitations by email link: the link's token is stored only as its sha256. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('invitations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.text('email').notNullable();
    t.text('role').notNullable().checkIn(['admin', 'member'], 'invitations_role_check');
    t.text('token_hash').notNullable().unique();
    t.bigInteger('invited_by').references('users.id').onDelete('SET NULL');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.bigInteger('accepted_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['organization_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('invitations');
}
