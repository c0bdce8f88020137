import type { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { publish } from '../../db/realtime/publish.ts';
import { findLiveStore, recordStoreError, type StoreRow } from '../../db/repositories/stores.ts';
import { ordersUpToDate } from '../../db/repositories/orders.ts';
import { strandedEventIds } from '../../db/repositories/stores-events.ts';
import { hourRevenue, storeFigures } from '../../db/repositories/store-metrics.ts';
import { isRevenueDrop, webhooksLookQuiet } from '../../domain/stores/alert-rules.ts';
import { revenueDropText, webhooksQuietText } from '../../domain/stores/alert-messages.ts';
import { localHourOf, sameHourLastWeek } from '../../domain/stores/metric-buckets.ts';
import { MIN_CALL_SPACING_MS } from '../../domain/stores/shopify-throttle.ts';
import { fetchOrdersPage } from './store-api.ts';
import { applyOrders } from './apply-order.ts';
import { lockStore } from './store-lock.ts';
import { raiseAlert, resolveAlert, sendPendingAlertEmails } from './store-alerts.ts';
import { noteTokenOutcome, storeApiTarget } from './store-target.ts';
import { registerStoreWebhooks } from './webhook-registration.ts';
import type { ReconcileResult, StoreActivityDeps } from './types.ts';

/** A first reconcile looks back this far; later ones start where the last one did. */
const FIRST_LOOKBACK_MS = 24 * 3_600_000;
const MAX_PAGES = 20;
/** A week-ago hour below this (in minor units) is too thin to call today's a drop. */
const REVENUE_DROP_MINIMUM_MINOR = 1_000;
/** A received event this old with no batch applying it lost its signal. */
const STRANDED_AFTER_MS = 60_000;

/**
 * The safety net under webhooks, on the actor's timer: orders changed since the last reconcile
 * are read from the platform and applied (a missed or disabled webhook is caught; versions we
 * already hold change nothing); a WooCommerce store whose webhooks went quiet is flagged; the
 * last full hour is compared with the same hour a week ago; events whose signal was lost are
 * handed back to the actor.
 */
export async function reconcileStore(deps: StoreActivityDeps, input: { storeId: number }): Promise<ReconcileResult> {
  const store = await findLiveStore(deps.db, input.storeId);
  if (!store) return { missed: 0, strandedEventIds: [], storeDeleted: true };
  // Webhooks we manage that were deleted meanwhile are made again (a failure is recorded and retried next time).
  await registerStoreWebhooks(deps, { storeId: store.id }).catch(() => undefined);
  const startedAt = new Date();
  let missed = 0;
  /** Where the next reconcile reads from; null after a failed catch-up, which it must redo. */
  let readUpTo: Date | null = null;
  try {
    const caughtUp = await catchUpOrders(deps, store, store.reconciled_at ?? new Date(startedAt.getTime() - FIRST_LOOKBACK_MS));
    missed = caughtUp.missed;
    readUpTo = caughtUp.stoppedAt ?? startedAt;
    await noteTokenOutcome(deps, store.id, null);
  } catch (error) {
    await recordStoreError(deps.db, store.id, `reconcile: ${(error as Error).message}`);
    await noteTokenOutcome(deps, store.id, error);
  }
  await deps.db.transaction(async (trx) => {
    await lockStore(trx, store.id);
    if (store.platform === 'woocommerce' && webhooksLookQuiet(store.last_webhook_at, missed, startedAt)) {
      await trx('stores').where({ id: store.id }).whereNull('webhooks_quiet_since').update({ webhooks_quiet_since: startedAt });
      await raiseAlert(trx, store, 'webhooks_quiet', 'webhooks', webhooksQuietText(store.name, missed), { missed });
    }
    await checkRevenueDrop(trx, store, startedAt);
    // The next reconcile reads from here: after a failed catch-up it must start where this one meant to.
    if (readUpTo) await trx('stores').where({ id: store.id }).update({ reconciled_at: readUpTo });
  });
  await sendPendingAlertEmails(deps, store);
  return { missed, strandedEventIds: await strandedEventIds(deps.db, store.id, new Date(startedAt.getTime() - STRANDED_AFTER_MS), 500), storeDeleted: false };
}

/**
 * Reads the orders changed since `since`, oldest change first, and applies those newer than ours.
 * At most MAX_PAGES pages a run: then `stoppedAt` is just before the last change read, where the
 * next run goes on (changes at that instant are read again, a no-op, so none left on the next page
 * is skipped whether the API reads "after" or "at or after"); null when it read them all.
 */
async function catchUpOrders(deps: StoreActivityDeps, store: StoreRow, since: Date): Promise<{ missed: number; stoppedAt: Date | null }> {
  const target = await storeApiTarget(deps, store);
  let cursor: string | null = null;
  let missed = 0;
  let lastChange = since;
  for (let pages = 0; pages < MAX_PAGES; ) {
    const page = await fetchOrdersPage(deps.http, target, { since, by: 'updated', cursor });
    if (!page.throttled) {
      pages += 1;
      for (const order of page.orders) if (order.updatedAt > lastChange) lastChange = order.updatedAt;
      const held = await ordersUpToDate(deps.db, store.id, page.orders);
      const newer = page.orders.filter((o) => !held.has(o.externalId));
      missed += newer.length;
      if (newer.length) {
        await deps.db.transaction(async (trx) => {
          await lockStore(trx, store.id);
          await applyOrders(trx, store, newer);
          await publish(trx, `store:${store.id}`, 'metrics.updated', await storeFigures(trx, store, new Date()));
        });
      }
      cursor = page.next;
      if (cursor === null) return { missed, stoppedAt: null };
    }
    await sleep(Math.max(MIN_CALL_SPACING_MS, page.waitMs));
  }
  return { missed, stoppedAt: new Date(Math.max(since.getTime(), lastChange.getTime() - 1)) };
}

async function checkRevenueDrop(trx: Knex.Transaction, store: StoreRow, now: Date): Promise<void> {
  const lastHour = localHourOf(new Date(now.getTime() - 3_600_000), store.timezone);
  const weekAgo = sameHourLastWeek(lastHour.hourStart, store.timezone);
  const [current, lastWeek] = [await hourRevenue(trx, store.id, lastHour.hourStart), await hourRevenue(trx, store.id, weekAgo)];
  // One condition per store, not per hour: a drop that lasts all afternoon alerts once, and clears
  // with the first hour back to normal (or too thin to compare), so the next drop alerts again.
  if (!isRevenueDrop(current, lastWeek, store.revenue_drop_percent, REVENUE_DROP_MINIMUM_MINOR)) return resolveAlert(trx, store.id, 'revenue_drop', 'revenue');
  const hourLabel = `${lastHour.localDate} ${String(lastHour.localHour).padStart(2, '0')}:00 (${store.timezone})`;
  await raiseAlert(trx, store, 'revenue_drop', 'revenue', revenueDropText(store.name, { hourLabel, currentMinor: current, lastWeekMinor: lastWeek, currency: store.currency }), {
    hourStart: lastHour.hourStart.toISOString(),
    currentMinor: current,
    lastWeekMinor: lastWeek,
  });
}
