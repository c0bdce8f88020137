import type { AppContext } from '../../context.ts';
import { listOrgStores, storeView, type StoreRow } from '../../../db/repositories/stores.ts';
import { lowStockItems, storeFigures } from '../../../db/repositories/store-metrics.ts';
import type { StoreFigures } from '../../../domain/stores/views.ts';
import { recentOrders, rejectedOrders, topProducts } from '../../../db/repositories/orders.ts';
import { listAlerts } from '../../../db/repositories/stores-alerts.ts';
import { latestBackfill } from '../../../db/repositories/stores-backfills.ts';
import { countEventsByStatus } from '../../../db/repositories/stores-events.ts';
import { averageOrderValue } from '../../../domain/stores/metric-buckets.ts';

/** The best sellers are over this many days. */
const TOP_PRODUCTS_DAYS = 30;

/** Everything the store page shows, in one answer; `store:<id>` events keep it current afterwards. */
export async function storeDashboard(ctx: AppContext, store: StoreRow) {
  const now = new Date();
  const [figures, orders, rejected, top, lowStock, alerts, backfill, events] = await Promise.all([
    storeFigures(ctx.db, store, now),
    recentOrders(ctx.db, [store.id], 20),
    rejectedOrders(ctx.db, store.id, 20),
    topProducts(ctx.db, store.id, new Date(now.getTime() - TOP_PRODUCTS_DAYS * 86_400_000), 5),
    lowStockItems(ctx.db, store.id, 50),
    listAlerts(ctx.db, [store.id], 20),
    latestBackfill(ctx.db, store.id),
    countEventsByStatus(ctx.db, store.id),
  ]);
  return { store: storeView(store), figures, recentOrders: orders, rejectedOrders: rejected, topProducts: top, lowStock, alerts, backfill, health: { ...storeView(store).health, events } };
}

interface CurrencyTotals {
  currency: string;
  today: { revenueMinor: number; orders: number; aovMinor: number };
  yesterday: { revenueMinor: number; orders: number; aovMinor: number };
}

/**
 * Across an organization's stores: each store's figures (each "today" by its own clock) and
 * totals per currency; amounts in different currencies are never added together.
 */
export async function orgOverview(ctx: AppContext, organizationId: number) {
  const stores = await listOrgStores(ctx.db, organizationId);
  const now = new Date();
  const perStore: Array<{ store: ReturnType<typeof storeView>; figures: StoreFigures }> = [];
  for (const store of stores) perStore.push({ store: storeView(store), figures: await storeFigures(ctx.db, store, now) });
  const totals = new Map<string, CurrencyTotals>();
  for (const { store, figures } of perStore) {
    const t = totals.get(store.currency) ?? { currency: store.currency, today: { revenueMinor: 0, orders: 0, aovMinor: 0 }, yesterday: { revenueMinor: 0, orders: 0, aovMinor: 0 } };
    t.today.revenueMinor += figures.today.revenueMinor;
    t.today.orders += figures.today.orders;
    t.yesterday.revenueMinor += figures.yesterday.revenueMinor;
    t.yesterday.orders += figures.yesterday.orders;
    totals.set(store.currency, t);
  }
  for (const t of totals.values()) {
    t.today.aovMinor = averageOrderValue(t.today.revenueMinor, t.today.orders);
    t.yesterday.aovMinor = averageOrderValue(t.yesterday.revenueMinor, t.yesterday.orders);
  }
  const ids = stores.map((s) => s.id);
  return {
    stores: perStore,
    totals: [...totals.values()],
    recentOrders: ids.length ? await recentOrders(ctx.db, ids, 20) : [],
    alerts: ids.length ? await listAlerts(ctx.db, ids, 20) : [],
  };
}
