import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { publish } from '../../db/realtime/publish.ts';
import { findLiveStore, recordStoreError, storePlanOf } from '../../db/repositories/stores.ts';
import { finishBackfill, insertBackfill, noteBackfillRetry, recordBackfillPage } from '../../db/repositories/stores-backfills.ts';
import { storeFigures } from '../../db/repositories/store-metrics.ts';
import { storeLimitsOf } from '../../domain/stores/plans.ts';
import { fetchOrdersPage, StoreApiError } from './store-api.ts';
import { applyOrders } from './apply-order.ts';
import { lockStore } from './store-lock.ts';
import { noteTokenOutcome, storeApiTarget } from './store-target.ts';
import { raiseAlert, resolveAlert, sendPendingAlertEmails } from './store-alerts.ts';
import { backfillFailedText } from '../../domain/stores/alert-messages.ts';
import type { BackfillPageInput, BackfillPageResult, BackfillStart, StoreActivityDeps } from './types.ts';

/** Opens a backfill of the last `days` (capped by the plan's history); an older one still running is superseded. */
export async function startStoreBackfill(deps: StoreActivityDeps, input: { storeId: number; days: number }): Promise<BackfillStart | null> {
  const store = await findLiveStore(deps.db, input.storeId);
  if (!store) return null;
  const days = Math.min(input.days, storeLimitsOf(await storePlanOf(deps.db, store.organization_id)).historyDays);
  return deps.db.transaction(async (trx) => {
    await trx('store_backfills').where({ store_id: store.id, status: 'running' }).update({ status: 'failed', error: 'superseded by a newer backfill', finished_at: trx.fn.now() });
    const backfill = await insertBackfill(trx, store.id, days);
    await publish(trx, `store:${store.id}`, 'backfill.progress', backfill);
    return { backfillId: backfill.id, since: new Date(Date.now() - days * 86_400_000).toISOString() };
  });
}

/**
 * One page of history: fetched, applied under the store's lock (older versions never overwrite
 * newer ones, so webhooks arriving meanwhile are safe), counted once, announced.
 */
export async function loadBackfillPage(deps: StoreActivityDeps, input: BackfillPageInput): Promise<BackfillPageResult> {
  const store = await findLiveStore(deps.db, input.storeId);
  if (!store) return { next: null, waitMs: 0, throttled: false, orders: 0, storeDeleted: true };
  let page;
  try {
    page = await fetchOrdersPage(deps.http, await storeApiTarget(deps, store), { since: new Date(input.since), by: 'created', cursor: input.cursor });
  } catch (error) {
    const message = (error as Error).message;
    await recordStoreError(deps.db, store.id, `backfill: ${message}`);
    await noteTokenOutcome(deps, store.id, error);
    // A refusal (bad credentials, unknown shop) will not pass on retry; a network error or a 5xx might.
    const status = error instanceof StoreApiError ? error.status : undefined;
    if (error instanceof StoreApiError && !(status !== undefined && (status >= 500 || status === 408))) throw ApplicationFailure.nonRetryable(message, 'StoreApiError');
    const noted = await noteBackfillRetry(deps.db, input.backfillId, `attempt ${attemptNumber()} failed: ${message}; trying again`);
    if (noted) await publish(deps.db, `store:${store.id}`, 'backfill.progress', noted);
    throw error;
  }
  if (input.page === 1) await noteTokenOutcome(deps, store.id, null);
  if (page.throttled) return { next: input.cursor, waitMs: page.waitMs, throttled: true, orders: 0, storeDeleted: false };
  await deps.db.transaction(async (trx) => {
    await lockStore(trx, store.id);
    await applyOrders(trx, store, page.orders);
    const progress = await recordBackfillPage(trx, input.backfillId, input.page, page.orders.length, page.totalPages);
    if (!progress) return; // this page was counted by an earlier attempt
    await publish(trx, `store:${store.id}`, 'backfill.progress', progress);
    await publish(trx, `store:${store.id}`, 'metrics.updated', await storeFigures(trx, store, new Date()));
  });
  await sendPendingAlertEmails(deps, store);
  return { next: page.next, waitMs: page.waitMs, throttled: false, orders: page.orders.length, storeDeleted: false };
}

/** Ends the load; a failure is an alert (one until a later load completes, which clears it). */
export async function finishStoreBackfill(deps: StoreActivityDeps, input: { storeId: number; backfillId: number; error: string | null }): Promise<void> {
  const store = await findLiveStore(deps.db, input.storeId);
  await deps.db.transaction(async (trx) => {
    const done = await finishBackfill(trx, input.backfillId, input.error);
    if (!done) return;
    await publish(trx, `store:${input.storeId}`, 'backfill.progress', done);
    if (!store) return;
    if (input.error === null) await resolveAlert(trx, store.id, 'backfill_failed', 'backfill');
    else await raiseAlert(trx, store, 'backfill_failed', 'backfill', backfillFailedText(store.name, input.error), { backfillId: input.backfillId, error: input.error });
  });
  if (store) await sendPendingAlertEmails(deps, store);
}

/** Which attempt of the activity this is (1 outside a worker, as when a test calls it). */
function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
