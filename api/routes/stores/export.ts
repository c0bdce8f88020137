import type { Db } from '../../../db/connection.ts';
import { listOrgStores, storeView } from '../../../db/repositories/stores.ts';

/**
 * All the store data an organization has with us, as JSON (GDPR access and portability): stores
 * without their credentials, orders with lines and the customer fields we keep, stock, carts,
 * figures, alerts, backfills and the webhook deliveries as received.
 */
export async function exportOrgStores(db: Db, organizationId: number) {
  const stores = await listOrgStores(db, organizationId);
  const out = [];
  for (const store of stores) {
    const byStore = (table: string, order: string) => db(table).where({ store_id: store.id }).orderBy(order);
    out.push({
      store: storeView(store),
      orders: await byStore('store_orders', 'placed_at'),
      orderLines: await byStore('store_order_lines', 'order_external_id'),
      inventoryLevels: await byStore('store_inventory_levels', 'item_id'),
      stockThresholds: await byStore('store_stock_thresholds', 'item_id'),
      carts: await byStore('store_carts', 'remote_created_at'),
      metricsHourly: await byStore('store_metrics_hourly', 'hour_start'),
      metricsDaily: await byStore('store_metrics_daily', 'local_date'),
      alerts: await byStore('store_alerts', 'id'),
      backfills: await byStore('store_backfills', 'id'),
      webhookEvents: await db('store_webhook_events').where({ store_id: store.id }).orderBy('id').select('id', 'webhook_id', 'event_id', 'topic', 'triggered_at', 'received_at', 'status', 'error', 'body'),
    });
  }
  return { organizationId, exportedAt: new Date().toISOString(), stores: out };
}
