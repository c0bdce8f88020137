import type { Knex } from 'knex';

/**
 * Orders that fail the checks at ingest (negative total, another currency than the store's,
 * impossible dates, no line items) are kept with the reason and never counted; refunds, by the
 * platform's refund id, take their amount off an order's net sales.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('store_orders', (t) => {
    t.text('rejected_reason');
    /** `{ refundId: amountMinor }` in the store's currency. */
    t.jsonb('refunds').notNullable().defaultTo('{}');
  });
  await db.raw('create index store_orders_rejected on store_orders (store_id, placed_at) where rejected_reason is not null');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('store_orders', (t) => {
    t.dropIndex([], 'store_orders_rejected');
    t.dropColumn('refunds');
    t.dropColumn('rejected_reason');
  });
}
