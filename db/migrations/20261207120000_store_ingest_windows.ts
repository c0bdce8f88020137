import type { Knex } from 'knex';

/**
 * The stores whose actor has an ingest window out: a worker process applies their webhooks as they
 * arrive, with no signal to the actor (see activities/stores/ingest-windows.ts). The API reads it
 * to know whether a delivery needs a signal; `held_until` lets a window whose holder vanished
 * without closing it count as closed.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('store_ingest_windows', (t) => {
    t.bigInteger('store_id').primary().references('stores.id').onDelete('CASCADE');
    /** Which window this row is: a window closed late must not remove the one that followed it. */
    t.text('holder').notNullable();
    t.timestamp('held_until', { useTz: true }).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('store_ingest_windows');
}
