import type { Knex } from 'knex';
import { publishAll } from '../../db/realtime/publish.ts';
import { feedItemOf, upsertOrders, type OrderChange } from '../../db/repositories/orders.ts';
import type { StoreRow } from '../../db/repositories/stores.ts';
import type { OrderFacts } from '../../domain/stores/payloads.ts';
import { isHighValue } from '../../domain/stores/alert-rules.ts';
import { rejectionOf } from '../../domain/stores/order-checks.ts';
import { highValueOrderText } from '../../domain/stores/alert-messages.ts';
import { raiseAlert } from './store-alerts.ts';

/**
 * The live feed shows the newest orders only: a batch announces its last this many order changes.
 * Announcing a burst of hundreds would fill every viewer's socket (and the event log) with rows
 * the feed drops at once; `metrics.updated` carries the figures that include them all.
 */
export const ANNOUNCED_PER_BATCH = 20;

/** Realtime events a batch gathers to publish in one statement at its end (see apply-events.ts). */
export type Announcements = Array<{ event: string; data: unknown }>;

/**
 * Order versions, from webhooks, a backfill page or a reconcile: stored, announced, alerted on.
 * Given `announcements`, the feed's events join them instead of being published here.
 */
export async function applyOrders(trx: Knex.Transaction, store: StoreRow, orders: OrderFacts[], announcements?: Announcements): Promise<OrderChange[]> {
  const now = new Date();
  // Checked at ingest: an order unfit to count is kept with its reason, and counts nothing.
  const checked = orders.map((order) => ({ ...order, rejection: rejectionOf(order, store.currency, now) }));
  const changes = await upsertOrders(trx, store, checked);
  const moved = changes.filter((c) => c.outcome !== 'stale');
  const feed = moved.slice(-ANNOUNCED_PER_BATCH).map((change) => ({ event: change.outcome === 'created' ? 'order.created' : 'order.updated', data: feedItemOf(change.order) }));
  if (announcements) announcements.push(...feed);
  else await publishAll(trx, `store:${store.id}`, feed);
  for (const { order, now } of moved) {
    if (!now.counted || !isHighValue(order.totalMinor, store.high_value_threshold_minor)) continue;
    await raiseAlert(trx, store, 'high_value_order', order.externalId, highValueOrderText(store.name, order), { orderId: order.externalId, name: order.name, totalMinor: order.totalMinor, currency: order.currency });
  }
  return changes;
}
