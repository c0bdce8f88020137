import type { Knex } from 'knex';

/**
 * Refresh tokens for API clients that are people. Each refresh spends a token and issues the next
 * one in the same family; presenting a spent token revokes the whole family (it was stolen).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('refresh_tokens', (t) => {
    t.bigIncrements('id');
    t.uuid('family_id').notNullable();
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['family_id']);
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('refresh_tokens');
}
