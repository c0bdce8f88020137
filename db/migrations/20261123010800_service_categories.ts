import type { Knex } from 'knex';

/** The marketplace's service categories, a tree managed by admins. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('service_categories', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.text('slug').notNullable().unique();
    t.bigInteger('parent_id').references('service_categories.id').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['parent_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('service_categories');
}
