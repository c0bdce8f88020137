import type { Knex } from 'knex';

/** Organizations own jobs, stores and API keys; people belong to them through memberships. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('organizations', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.text('plan').notNullable().defaultTo('free');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('memberships', (t) => {
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable().checkIn(['owner', 'admin', 'member'], 'memberships_role_check');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['organization_id', 'user_id']);
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('memberships');
  await db.schema.dropTable('organizations');
}
