import type { Knex } from 'knex';
import { contributionOf, localHourOf, type Contribution } from '../../domain/stores/metric-buckets.ts';
import type { OrderFacts } from '../../domain/stores/payloads.ts';
import { addToMetrics } from './store-metrics.ts';

export type OrderOutcome = 'created' | 'updated' | 'stale';

export interface OrderChange {
  outcome: OrderOutcome;
  /** Whether the order counted before this version, so a caller can tell a first count from a recount. */
  wasCounted: boolean;
  now: Contribution;
}

interface Existing {
  remote_updated_at: Date;
  placed_at: Date;
  counted: boolean;
  counted_revenue_minor: number;
  counted_units: number;
}

/**
 * Writes an order version unless we already hold the same or a newer one (Shopify and WooCommerce
 * deliver out of order and retry with the original payload), and moves the metrics by the
 * difference between what the order counted before and what it counts now. Callers hold the
 * store's lock, so two versions of one order never interleave.
 */
export async function upsertOrder(trx: Knex.Transaction, store: { id: number; timezone: string }, order: OrderFacts): Promise<OrderChange> {
  const existing = (await trx('store_orders').where({ store_id: store.id, external_id: order.externalId }).first('remote_updated_at', 'placed_at', 'counted', 'counted_revenue_minor', 'counted_units')) as Existing | undefined;
  const now = contributionOf(order);
  if (existing && existing.remote_updated_at.getTime() >= order.updatedAt.getTime()) {
    return { outcome: 'stale', wasCounted: existing.counted, now: { counted: existing.counted, revenueMinor: existing.counted_revenue_minor, units: existing.counted_units } };
  }
  const row = {
    store_id: store.id,
    external_id: order.externalId,
    name: order.name,
    status: order.status,
    total_minor: order.totalMinor,
    currency: order.currency,
    units: order.lines.reduce((sum, l) => sum + l.quantity, 0),
    cart_token: order.cartToken,
    placed_at: order.placedAt,
    remote_updated_at: order.updatedAt,
    counted_revenue_minor: now.revenueMinor,
    counted_units: now.units,
    counted: now.counted,
    customer_external_id: order.customerExternalId,
    customer_email: order.customerEmail,
  };
  await trx('store_orders').insert(row).onConflict(['store_id', 'external_id']).merge();
  await trx('store_order_lines').where({ store_id: store.id, order_external_id: order.externalId }).delete();
  if (order.lines.length) {
    await trx('store_order_lines').insert(
      order.lines.map((l) => ({ store_id: store.id, order_external_id: order.externalId, line_id: l.lineId, product_id: l.productId, sku: l.sku, title: l.title, quantity: l.quantity, price_minor: l.priceMinor })),
    );
  }
  if (existing?.counted) {
    await addToMetrics(trx, store.id, localHourOf(existing.placed_at, store.timezone), { revenueMinor: -existing.counted_revenue_minor, orders: -1, units: -existing.counted_units });
  }
  if (now.counted) await addToMetrics(trx, store.id, localHourOf(order.placedAt, store.timezone), { revenueMinor: now.revenueMinor, orders: 1, units: now.units });
  return { outcome: existing ? 'updated' : 'created', wasCounted: existing?.counted ?? false, now };
}


/** What the live feed and the dashboard show of an order: no customer details. */
export interface OrderFeedItem {
  externalId: string;
  name: string;
  status: string;
  totalMinor: number;
  currency: string;
  units: number;
  placedAt: string;
}

type FeedRow = { external_id: string; name: string; status: string; total_minor: number; currency: string; units: number; placed_at: Date };
const feedItem = (r: FeedRow): OrderFeedItem => ({ externalId: r.external_id, name: r.name, status: r.status, totalMinor: r.total_minor, currency: r.currency, units: r.units, placedAt: r.placed_at.toISOString() });

export function feedItemOf(order: OrderFacts): OrderFeedItem {
  return { externalId: order.externalId, name: order.name, status: order.status, totalMinor: order.totalMinor, currency: order.currency, units: order.lines.reduce((s, l) => s + l.quantity, 0), placedAt: order.placedAt.toISOString() };
}

export async function recentOrders(db: Knex | Knex.Transaction, storeIds: number[], limit: number): Promise<Array<OrderFeedItem & { storeId: number }>> {
  const rows = await db('store_orders').whereIn('store_id', storeIds).orderBy('placed_at', 'desc').limit(limit).select('store_id', 'external_id', 'name', 'status', 'total_minor', 'currency', 'units', 'placed_at');
  return rows.map((r: FeedRow & { store_id: number }) => ({ storeId: r.store_id, ...feedItem(r) }));
}

/** Which of these orders we hold at `updatedAt` or later (reconcile: the rest were missed or late). */
export async function ordersUpToDate(db: Knex | Knex.Transaction, storeId: number, versions: Array<{ externalId: string; updatedAt: Date }>): Promise<Set<string>> {
  if (!versions.length) return new Set();
  const rows = await db('store_orders').where({ store_id: storeId }).whereIn('external_id', versions.map((v) => v.externalId)).select('external_id', 'remote_updated_at');
  const held = new Map(rows.map((r: { external_id: string; remote_updated_at: Date }) => [r.external_id, r.remote_updated_at.getTime()]));
  return new Set(versions.filter((v) => (held.get(v.externalId) ?? -Infinity) >= v.updatedAt.getTime()).map((v) => v.externalId));
}

/** GDPR: the customer's identifying fields are erased from their orders; the figures stay. */
export async function redactCustomer(db: Knex | Knex.Transaction, storeId: number, customerId: string, orderIds: string[]): Promise<number> {
  return db('store_orders')
    .where({ store_id: storeId })
    .where((q) => q.where({ customer_external_id: customerId }).orWhereIn('external_id', orderIds))
    .update({ customer_external_id: null, customer_email: null });
}

export async function customerOrders(db: Knex | Knex.Transaction, storeId: number, customerId: string, orderIds: string[]): Promise<unknown[]> {
  return db('store_orders')
    .where({ store_id: storeId })
    .where((q) => q.where({ customer_external_id: customerId }).orWhereIn('external_id', orderIds))
    .select('external_id', 'name', 'status', 'total_minor', 'currency', 'placed_at', 'customer_email');
}
