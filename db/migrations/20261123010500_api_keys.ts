import type { Knex } from 'knex';

/** Organization API keys `pk_live_<id>.<secret>`: the id is public, the secret is kept only as a sha256. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('api_keys', (t) => {
    t.text('id').primary();
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('secret_hash').notNullable();
    t.bigInteger('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['organization_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('api_keys');
}
