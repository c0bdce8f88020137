import type { Knex } from 'knex';
import { contributionOf, localHourOf, type Contribution, type LocalHour } from '../../domain/stores/metric-buckets.ts';
import type { OrderFacts } from '../../domain/stores/payloads.ts';
import { addToMetrics, type MetricDelta } from './store-metrics.ts';

export type OrderOutcome = 'created' | 'updated' | 'stale';

export interface OrderChange {
  order: OrderFacts;
  outcome: OrderOutcome;
  /** Whether the order counted before this version, so a caller can tell a first count from a recount. */
  wasCounted: boolean;
  now: Contribution;
}

interface Held {
  updatedAt: number;
  placedAt: Date;
  contribution: Contribution;
}

/**
 * Writes order versions unless we already hold the same or a newer one (Shopify and WooCommerce
 * deliver out of order and retry with the original payload), and moves the metrics by the
 * difference between what each order counted before and what it counts now. The versions are
 * compared in the order given, in memory; then each order's newest version, its lines and the
 * summed metric moves are written in a handful of statements, whatever the batch's size.
 * Callers hold the store's lock, so two batches never interleave their read-compare-write.
 */
export async function upsertOrders(trx: Knex.Transaction, store: { id: number; timezone: string }, orders: OrderFacts[]): Promise<OrderChange[]> {
  if (!orders.length) return [];
  const held = await heldOrders(trx, store.id, [...new Set(orders.map((o) => o.externalId))]);
  const newest = new Map<string, OrderFacts>();
  const moves = new Map<number, LocalHour & MetricDelta>();
  const move = (at: Date, sign: 1 | -1, c: Contribution) => {
    const bucket = localHourOf(at, store.timezone);
    const m = moves.get(bucket.hourStart.getTime()) ?? { ...bucket, revenueMinor: 0, orders: 0, units: 0 };
    m.revenueMinor += sign * c.revenueMinor;
    m.orders += sign;
    m.units += sign * c.units;
    moves.set(bucket.hourStart.getTime(), m);
  };
  const changes = orders.map((order): OrderChange => {
    const before = held.get(order.externalId);
    if (before && before.updatedAt >= order.updatedAt.getTime()) return { order, outcome: 'stale', wasCounted: before.contribution.counted, now: before.contribution };
    const now = contributionOf(order);
    if (before?.contribution.counted) move(before.placedAt, -1, before.contribution);
    if (now.counted) move(order.placedAt, 1, now);
    held.set(order.externalId, { updatedAt: order.updatedAt.getTime(), placedAt: order.placedAt, contribution: now });
    newest.set(order.externalId, order);
    return { order, outcome: before ? 'updated' : 'created', wasCounted: before?.contribution.counted ?? false, now };
  });
  await writeOrders(trx, store.id, [...newest.values()]);
  await addToMetrics(trx, store.id, [...moves.values()]);
  return changes;
}

async function heldOrders(trx: Knex.Transaction, storeId: number, externalIds: string[]): Promise<Map<string, Held>> {
  const rows: Array<{ external_id: string; remote_updated_at: Date; placed_at: Date; counted: boolean; counted_revenue_minor: string | number; counted_units: number }> = await trx('store_orders')
    .where({ store_id: storeId })
    .whereIn('external_id', externalIds)
    .select('external_id', 'remote_updated_at', 'placed_at', 'counted', 'counted_revenue_minor', 'counted_units');
  return new Map(
    rows.map((r) => [r.external_id, { updatedAt: r.remote_updated_at.getTime(), placedAt: r.placed_at, contribution: { counted: r.counted, revenueMinor: Number(r.counted_revenue_minor), units: r.counted_units } }]),
  );
}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters at 15 columns. */
const CHUNK = 1_000;

async function writeOrders(trx: Knex.Transaction, storeId: number, orders: OrderFacts[]): Promise<void> {
  if (!orders.length) return;
  for (let i = 0; i < orders.length; i += CHUNK) {
    const rows = orders.slice(i, i + CHUNK).map((order) => {
      const now = contributionOf(order);
      return {
        store_id: storeId,
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
    });
    await trx('store_orders').insert(rows).onConflict(['store_id', 'external_id']).merge();
  }
  await trx('store_order_lines').where({ store_id: storeId }).whereIn('order_external_id', orders.map((o) => o.externalId)).delete();
  const lines = orders.flatMap((o) =>
    o.lines.map((l) => ({ store_id: storeId, order_external_id: o.externalId, line_id: l.lineId, product_id: l.productId, sku: l.sku, title: l.title, quantity: l.quantity, price_minor: l.priceMinor })),
  );
  for (let i = 0; i < lines.length; i += CHUNK) await trx('store_order_lines').insert(lines.slice(i, i + CHUNK));
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
