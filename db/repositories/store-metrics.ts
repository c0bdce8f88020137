import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { averageOrderValue, localDays, type LocalHour } from '../../domain/stores/metric-buckets.ts';

type Conn = Db | Knex.Transaction;

export interface MetricDelta {
  revenueMinor: number;
  orders: number;
  units: number;
}

/**
 * Moves local hours' figures, and their days', by the deltas (negative when an order stops
 * counting), in one statement. Each hour appears at most once in `moves`.
 */
export async function addToMetrics(trx: Conn, storeId: number, moves: Array<LocalHour & MetricDelta>): Promise<void> {
  const nonZero = moves.filter((m) => m.revenueMinor || m.orders || m.units);
  if (!nonZero.length) return;
  await trx.raw(
    `with moves as (
       select * from unnest(?::timestamptz[], ?::date[], ?::smallint[], ?::bigint[], ?::int[], ?::int[])
         as m(hour_start, local_date, local_hour, revenue_minor, orders, units)
     ), hourly as (
       insert into store_metrics_hourly as h (store_id, hour_start, local_date, local_hour, revenue_minor, orders, units)
       select ?, hour_start, local_date, local_hour, revenue_minor, orders, units from moves
       on conflict (store_id, hour_start) do update
         set revenue_minor = h.revenue_minor + excluded.revenue_minor, orders = h.orders + excluded.orders, units = h.units + excluded.units
     )
     insert into store_metrics_daily as d (store_id, local_date, revenue_minor, orders, units)
     select ?, local_date, sum(revenue_minor), sum(orders), sum(units) from moves group by local_date
     on conflict (store_id, local_date) do update
       set revenue_minor = d.revenue_minor + excluded.revenue_minor, orders = d.orders + excluded.orders, units = d.units + excluded.units`,
    [
      nonZero.map((m) => m.hourStart.toISOString()),
      nonZero.map((m) => m.localDate),
      nonZero.map((m) => m.localHour),
      nonZero.map((m) => m.revenueMinor),
      nonZero.map((m) => m.orders),
      nonZero.map((m) => m.units),
      storeId,
      storeId,
    ],
  );
}

export interface DayFigures {
  date: string;
  revenueMinor: number;
  orders: number;
  units: number;
  aovMinor: number;
}

export interface StoreFigures {
  today: DayFigures;
  yesterday: DayFigures;
  /** Today's local hours 0-23 (a DST day has 23 or 25 rows' worth; hours sharing a number are summed). */
  revenueByHour: Array<{ hour: number; revenueMinor: number; orders: number }>;
  openCarts: number;
  lowStock: number;
}

async function day(db: Conn, storeIds: number[], date: string): Promise<DayFigures> {
  const row = await db('store_metrics_daily')
    .whereIn('store_id', storeIds)
    .where({ local_date: date })
    .first(db.raw('coalesce(sum(revenue_minor), 0)::bigint as revenue'), db.raw('coalesce(sum(orders), 0)::int as orders'), db.raw('coalesce(sum(units), 0)::int as units'));
  const revenueMinor = Number(row?.revenue ?? 0);
  const orders = Number(row?.orders ?? 0);
  return { date, revenueMinor, orders, units: Number(row?.units ?? 0), aovMinor: averageOrderValue(revenueMinor, orders) };
}

/** Carts created in the last day that no order has come from yet. */
export async function openCartCount(db: Conn, storeId: number, now: Date): Promise<number> {
  const [{ count }] = await db('store_carts as c')
    .where('c.store_id', storeId)
    .where('c.remote_created_at', '>', new Date(now.getTime() - 24 * 3_600_000))
    .whereNotExists((q) => q.select(db.raw('1')).from('store_orders as o').whereRaw('o.store_id = c.store_id and o.cart_token = c.token'))
    .count<{ count: string }[]>('* as count');
  return Number(count);
}

export interface LowStockItem {
  itemId: string;
  locationId: string;
  title: string | null;
  available: number;
  threshold: number;
}

export async function lowStockItems(db: Conn, storeId: number, limit = 100): Promise<LowStockItem[]> {
  const rows = await db('store_inventory_levels as l')
    .join('stores as s', 's.id', 'l.store_id')
    .leftJoin('store_stock_thresholds as t', (j) => j.on('t.store_id', 'l.store_id').andOn('t.item_id', 'l.item_id'))
    .where('l.store_id', storeId)
    .whereRaw('l.available <= coalesce(t.threshold, s.low_stock_threshold)')
    .orderBy([{ column: 'l.available', order: 'asc' }, { column: 'l.item_id' }])
    .limit(limit)
    .select('l.item_id', 'l.location_id', 'l.title', 'l.available', db.raw('coalesce(t.threshold, s.low_stock_threshold) as threshold'));
  return rows.map((r: { item_id: string; location_id: string; title: string | null; available: number; threshold: number }) => ({
    itemId: r.item_id,
    locationId: r.location_id,
    title: r.title,
    available: r.available,
    threshold: Number(r.threshold),
  }));
}

/** The dashboard's figures for one store, "today" by the store's clock. */
export async function storeFigures(db: Conn, store: { id: number; timezone: string }, now: Date): Promise<StoreFigures> {
  const { today, yesterday } = localDays(now, store.timezone);
  // One after the other: inside a transaction the queries share one connection.
  const t = await day(db, [store.id], today);
  const y = await day(db, [store.id], yesterday);
  const hours = await db('store_metrics_hourly')
    .where({ store_id: store.id, local_date: today })
    .groupBy('local_hour')
    .orderBy('local_hour')
    .select('local_hour', db.raw('sum(revenue_minor)::bigint as revenue'), db.raw('sum(orders)::int as orders'));
  const openCarts = await openCartCount(db, store.id, now);
  const low = await lowStockItems(db, store.id);
  const byHour = new Map(hours.map((h: { local_hour: number; revenue: string; orders: number }) => [h.local_hour, h]));
  return {
    today: t,
    yesterday: y,
    revenueByHour: Array.from({ length: 24 }, (_, hour) => ({ hour, revenueMinor: Number(byHour.get(hour)?.revenue ?? 0), orders: Number(byHour.get(hour)?.orders ?? 0) })),
    openCarts,
    lowStock: low.length,
  };
}

/** One local hour's revenue, for the revenue-drop comparison. */
export async function hourRevenue(db: Conn, storeId: number, hourStart: Date): Promise<number> {
  const row = await db('store_metrics_hourly').where({ store_id: storeId, hour_start: hourStart }).first('revenue_minor');
  return Number(row?.revenue_minor ?? 0);
}
