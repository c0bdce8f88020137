import type { Knex } from 'knex';
import type { StockFacts } from '../../domain/stores/payloads.ts';

/** Writes a stock level unless a newer one is held; answers the threshold that applies, or null when stale. */
export async function upsertStockLevel(trx: Knex.Transaction, storeId: number, stock: StockFacts): Promise<{ threshold: number; title: string | null } | null> {
  const existing = await trx('store_inventory_levels').where({ store_id: storeId, item_id: stock.itemId, location_id: stock.locationId }).first('remote_updated_at');
  if (existing && (existing.remote_updated_at as Date).getTime() >= stock.updatedAt.getTime()) return null;
  // A Shopify level names no product: its products/update did.
  const title = stock.title ?? ((await trx('store_item_titles').where({ store_id: storeId, item_id: stock.itemId }).first('title'))?.title as string | undefined) ?? null;
  await trx('store_inventory_levels')
    .insert({ store_id: storeId, item_id: stock.itemId, location_id: stock.locationId, title, available: stock.available, remote_updated_at: stock.updatedAt })
    .onConflict(['store_id', 'item_id', 'location_id'])
    .merge({ available: stock.available, remote_updated_at: stock.updatedAt, title: trx.raw('coalesce(excluded.title, store_inventory_levels.title)') });
  const row = await trx('stores as s')
    .leftJoin('store_stock_thresholds as t', (j) => j.on('t.store_id', 's.id').andOn('t.item_id', trx.raw('?', [stock.itemId])))
    .where('s.id', storeId)
    .first(trx.raw('coalesce(t.threshold, s.low_stock_threshold) as threshold'));
  return { threshold: Number(row.threshold), title };
}

/** The item's location with the least stock. */
export async function lowestStockOf(trx: Knex.Transaction, storeId: number, itemId: string): Promise<{ locationId: string; available: number }> {
  const row = await trx('store_inventory_levels').where({ store_id: storeId, item_id: itemId }).orderBy('available').first('location_id', 'available');
  return { locationId: row.location_id, available: row.available };
}

/** The names of a product's inventory items, kept for their stock levels to come and given to those held. */
export async function recordItemTitles(trx: Knex.Transaction, storeId: number, items: Array<{ itemId: string; title: string }>): Promise<void> {
  if (!items.length) return;
  await trx('store_item_titles').insert(items.map((i) => ({ store_id: storeId, item_id: i.itemId, title: i.title }))).onConflict(['store_id', 'item_id']).merge();
  for (const item of items) await trx('store_inventory_levels').where({ store_id: storeId, item_id: item.itemId }).update({ title: item.title });
}

export async function setStockThreshold(db: Knex | Knex.Transaction, storeId: number, itemId: string, threshold: number): Promise<void> {
  await db('store_stock_thresholds').insert({ store_id: storeId, item_id: itemId, threshold }).onConflict(['store_id', 'item_id']).merge();
}

/** Carts are kept by token; a repeated carts/create changes nothing. */
export async function insertCart(trx: Knex.Transaction, storeId: number, cart: { token: string; totalMinor: number; createdAt: Date }): Promise<boolean> {
  const rows = await trx('store_carts').insert({ store_id: storeId, token: cart.token, total_minor: cart.totalMinor, remote_created_at: cart.createdAt }).onConflict(['store_id', 'token']).ignore().returning('token');
  return rows.length > 0;
}
