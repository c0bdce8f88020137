import type { Knex } from 'knex';

/** Security events and admin actions, append-only; actor_email is copied so the trail survives a deleted user. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.bigInteger('actor_id').references('users.id').onDelete('SET NULL');
    t.text('actor_email');
    t.text('action').notNullable();
    t.text('target_type');
    t.text('target_id');
    t.bigInteger('organization_id').references('organizations.id').onDelete('SET NULL');
    t.text('ip');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['at']);
    t.index(['action', 'at']);
    t.index(['actor_id', 'at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('audit_events');
}
