import type { Knex } from 'knex';
import { contributionOf, figureMovesOf, localHourOf, mergedRefunds, refundedOf, type Contribution, type LocalHour } from '../../domain/stores/metric-buckets.ts';
import type { OrderFacts, RefundFacts } from '../../domain/stores/payloads.ts';
import { queryPrepared } from '../prepared.ts';
import { addToMetrics, type MetricDelta } from './store-metrics.ts';
import type { OrderFeedItem } from '../../domain/stores/views.ts';

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
  totalMinor: number;
  contribution: Contribution;
  refunds: Record<string, RefundFacts>;
}

/** The figures' moves summed per local hour of the store, so each hour is written once. */
class HourMoves {
  private readonly byHour = new Map<number, LocalHour & MetricDelta>();
  constructor(private readonly timezone: string) {}

  /** Adds (sign 1) or takes back (sign -1) what a counted order put into the figures. */
  add(sign: 1 | -1, order: { placedAt: Date; totalMinor: number; units: number; refunds: Record<string, RefundFacts> }): void {
    for (const move of figureMovesOf(order)) {
      const bucket = localHourOf(move.at, this.timezone);
      const m = this.byHour.get(bucket.hourStart.getTime()) ?? { ...bucket, revenueMinor: 0, refundsMinor: 0, orders: 0, units: 0 };
      m.revenueMinor += sign * move.revenueMinor;
      m.refundsMinor += sign * move.refundsMinor;
      m.orders += sign * move.orders;
      m.units += sign * move.units;
      this.byHour.set(bucket.hourStart.getTime(), m);
    }
  }

  all(): Array<LocalHour & MetricDelta> {
    return [...this.byHour.values()];
  }
}

/**
 * Writes order versions unless we already hold the same or a newer one (Shopify and WooCommerce
 * deliver out of order and retry with the original payload), and moves the metrics by the
 * difference between what each order counted before and what it counts now. The versions are
 * compared in the order given, in memory; then each order's newest version, its lines and the
 * summed metric moves are written in two or three statements, whatever the batch's size.
 * Callers hold the store's lock, so two batches never interleave their read-compare-write.
 */
export async function upsertOrders(trx: Knex.Transaction, store: { id: number; timezone: string }, orders: OrderFacts[]): Promise<OrderChange[]> {
  if (!orders.length) return [];
  const held = await heldOrders(trx, store.id, [...new Set(orders.map((o) => o.externalId))]);
  // Only orders stored before this batch can have lines to replace.
  const heldBefore = new Set(held.keys());
  const newest = new Map<string, OrderFacts>();
  const moves = new HourMoves(store.timezone);
  const changes = orders.map((given): OrderChange => {
    const before = held.get(given.externalId);
    if (before && before.updatedAt >= given.updatedAt.getTime()) return { order: given, outcome: 'stale', wasCounted: before.contribution.counted, now: before.contribution };
    const order = before ? { ...given, refunds: mergedRefunds(before.refunds, given.refunds) } : given;
    const now = contributionOf(order);
    if (before?.contribution.counted) moves.add(-1, { ...before, units: before.contribution.units });
    if (now.counted) moves.add(1, { ...order, units: now.units });
    held.set(order.externalId, { updatedAt: order.updatedAt.getTime(), placedAt: order.placedAt, totalMinor: order.totalMinor, contribution: now, refunds: order.refunds });
    newest.set(order.externalId, order);
    return { order, outcome: before ? 'updated' : 'created', wasCounted: before?.contribution.counted ?? false, now };
  });
  await writeOrders(trx, store.id, [...newest.values()], heldBefore);
  await addToMetrics(trx, store.id, moves.all());
  return changes;
}

async function heldOrders(trx: Knex.Transaction, storeId: number, externalIds: string[]): Promise<Map<string, Held>> {
  // One array binding, not one per id, so that the statement is the same whatever the batch's size.
  const rows = await queryPrepared<{ external_id: string; remote_updated_at: Date; placed_at: Date; total_minor: number; counted: boolean; counted_revenue_minor: string | number; counted_units: number; refunds: Record<string, RefundFacts> }>(
    trx,
    'held-orders',
    trx('store_orders')
      .where({ store_id: storeId })
      .whereRaw('external_id = any(?::text[])', [externalIds])
      .select('external_id', 'remote_updated_at', 'placed_at', 'total_minor', 'counted', 'counted_revenue_minor', 'counted_units', 'refunds'),
  );
  return new Map(
    rows.map((r) => [r.external_id, { updatedAt: r.remote_updated_at.getTime(), placedAt: r.placed_at, totalMinor: Number(r.total_minor), contribution: { counted: r.counted, revenueMinor: Number(r.counted_revenue_minor), units: r.counted_units }, refunds: r.refunds }]),
  );
}

/**
 * The orders' new versions and their lines: the lines of orders held before are deleted first,
 * then orders and lines are written in one prepared statement (the lines' foreign key is checked
 * at its end, when their orders are in). Rows travel as JSON documents, whatever the batch's size.
 */
async function writeOrders(trx: Knex.Transaction, storeId: number, orders: OrderFacts[], heldBefore: Set<string>): Promise<void> {
  if (!orders.length) return;
  const replaced = orders.filter((o) => heldBefore.has(o.externalId)).map((o) => o.externalId);
  if (replaced.length) await trx('store_order_lines').where({ store_id: storeId }).whereIn('order_external_id', replaced).delete();
  const rows = orders.map((order) => {
    const now = contributionOf(order);
    return {
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
      rejected_reason: order.rejection ?? null,
      refunds: order.refunds,
    };
  });
  const lines = orders.flatMap((o) => o.lines.map((l) => ({ order_external_id: o.externalId, line_id: l.lineId, product_id: l.productId, sku: l.sku, title: l.title, quantity: l.quantity, price_minor: l.priceMinor })));
  const query = trx.raw(
    `with written as (
       insert into store_orders as o (store_id, external_id, name, status, total_minor, currency, units, cart_token, placed_at, remote_updated_at,
         counted_revenue_minor, counted_units, counted, customer_external_id, customer_email, rejected_reason, refunds)
       select ?, r.* from json_to_recordset(?::json) as r(external_id text, name text, status text, total_minor bigint, currency text, units int,
         cart_token text, placed_at timestamptz, remote_updated_at timestamptz, counted_revenue_minor bigint, counted_units int, counted boolean,
         customer_external_id text, customer_email text, rejected_reason text, refunds jsonb)
       on conflict (store_id, external_id) do update set name = excluded.name, status = excluded.status, total_minor = excluded.total_minor,
         currency = excluded.currency, units = excluded.units, cart_token = excluded.cart_token, placed_at = excluded.placed_at,
         remote_updated_at = excluded.remote_updated_at, counted_revenue_minor = excluded.counted_revenue_minor, counted_units = excluded.counted_units,
         counted = excluded.counted, customer_external_id = excluded.customer_external_id, customer_email = excluded.customer_email,
         rejected_reason = excluded.rejected_reason, refunds = excluded.refunds
     )
     insert into store_order_lines (store_id, order_external_id, line_id, product_id, sku, title, quantity, price_minor)
     select ?, l.* from json_to_recordset(?::json) as l(order_external_id text, line_id text, product_id text, sku text, title text, quantity int, price_minor bigint)`,
    [storeId, JSON.stringify(rows), storeId, JSON.stringify(lines)],
  );
  await queryPrepared(trx, 'write-orders', query);
}

type FeedRow = { external_id: string; name: string; status: string; total_minor: number; currency: string; units: number; placed_at: Date; rejected_reason: string | null; refunds: Record<string, RefundFacts> };
const feedItem = (r: FeedRow): OrderFeedItem => ({
  externalId: r.external_id,
  name: r.name,
  status: r.status,
  totalMinor: r.total_minor,
  currency: r.currency,
  units: r.units,
  placedAt: r.placed_at.toISOString(),
  rejectedReason: r.rejected_reason,
  refundedMinor: refundedOf(r.refunds),
});

export function feedItemOf(order: OrderFacts): OrderFeedItem {
  return {
    externalId: order.externalId,
    name: order.name,
    status: order.status,
    totalMinor: order.totalMinor,
    currency: order.currency,
    units: order.lines.reduce((s, l) => s + l.quantity, 0),
    placedAt: order.placedAt.toISOString(),
    rejectedReason: order.rejection ?? null,
    refundedMinor: refundedOf(order.refunds),
  };
}

export async function recentOrders(db: Knex | Knex.Transaction, storeIds: number[], limit: number): Promise<Array<OrderFeedItem & { storeId: number }>> {
  const rows = await db('store_orders').whereIn('store_id', storeIds).orderBy('placed_at', 'desc').limit(limit).select(FEED_COLUMNS);
  return rows.map((r: FeedRow & { store_id: number }) => ({ storeId: r.store_id, ...feedItem(r) }));
}

const FEED_COLUMNS = ['store_id', 'external_id', 'name', 'status', 'total_minor', 'currency', 'units', 'placed_at', 'rejected_reason', 'refunds'];

/** Orders kept but not counted, newest first, with why. */
export async function rejectedOrders(db: Knex | Knex.Transaction, storeId: number, limit: number): Promise<OrderFeedItem[]> {
  const rows = await db('store_orders').where({ store_id: storeId }).whereNotNull('rejected_reason').orderBy('placed_at', 'desc').limit(limit).select(FEED_COLUMNS);
  return rows.map(feedItem);
}

/**
 * A refund delivered on its own: net sales drop by its amount on the day it was made, once (by
 * refund id). False when the order is not here yet (its next version or the reconcile brings the
 * refund) or the refund is already counted.
 */
export async function addRefund(trx: Knex.Transaction, store: { id: number; timezone: string }, refund: { orderId: string; refundId: string } & RefundFacts): Promise<boolean> {
  const row = await trx('store_orders').where({ store_id: store.id, external_id: refund.orderId }).forUpdate().first('placed_at', 'counted', 'counted_units', 'total_minor', 'refunds');
  if (!row || refund.refundId in row.refunds) return false;
  const before = { placedAt: row.placed_at as Date, totalMinor: Number(row.total_minor), units: row.counted_units as number, refunds: row.refunds as Record<string, RefundFacts> };
  const after = { ...before, refunds: { ...before.refunds, [refund.refundId]: { amountMinor: refund.amountMinor, at: refund.at } } };
  const revenueMinor = row.counted ? Math.max(0, after.totalMinor - refundedOf(after.refunds)) : 0;
  await trx('store_orders').where({ store_id: store.id, external_id: refund.orderId }).update({ refunds: JSON.stringify(after.refunds), counted_revenue_minor: revenueMinor });
  if (row.counted) {
    const moves = new HourMoves(store.timezone);
    moves.add(-1, before);
    moves.add(1, after);
    await addToMetrics(trx, store.id, moves.all());
  }
  return true;
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

export interface TopProduct {
  title: string;
  units: number;
  salesMinor: number;
}

/** What sold best since `since`, by title, among the orders that count: units and line sales (before refunds). */
export async function topProducts(db: Knex | Knex.Transaction, storeId: number, since: Date, limit: number): Promise<TopProduct[]> {
  const rows = await db('store_order_lines as l')
    .join('store_orders as o', (j) => j.on('o.store_id', 'l.store_id').andOn('o.external_id', 'l.order_external_id'))
    .where({ 'l.store_id': storeId, 'o.counted': true })
    .where('o.placed_at', '>=', since)
    .groupBy('l.title')
    .orderByRaw('sum(l.price_minor * l.quantity) desc, l.title')
    .limit(limit)
    .select('l.title', db.raw('sum(l.quantity)::int as units'), db.raw('sum(l.price_minor * l.quantity)::bigint as sales_minor'));
  return rows.map((r: { title: string; units: number; sales_minor: string }) => ({ title: r.title, units: r.units, salesMinor: Number(r.sales_minor) }));
}
