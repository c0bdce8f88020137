import type { Knex } from 'knex';

/**
 * What each inventory item is called, from Shopify's products/update (its inventory levels carry
 * only ids): low-stock alerts and lists name the product, not "item 9101".
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('store_item_titles', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('item_id').notNullable();
    t.text('title').notNullable();
    t.primary(['store_id', 'item_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('store_item_titles');
}
