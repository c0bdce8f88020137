import type { Knex } from 'knex';
import { publish } from '../notify/publish.ts';
import { claimPendingEvent, markEvent, redactCustomerEvents, type WebhookEventRow, type WebhookEventStatus } from '../../db/repositories/stores-events.ts';
import { deleteStore, findStore, storeAlertRecipients, type StoreRow } from '../../db/repositories/stores.ts';
import { customerOrders, redactCustomer } from '../../db/repositories/orders.ts';
import { insertCart, upsertStockLevel } from '../../db/repositories/stores-stock.ts';
import { storeFigures } from '../../db/repositories/store-metrics.ts';
import { clearAlert } from '../../db/repositories/stores-alerts.ts';
import { isLowStock } from '../../domain/stores/alert-rules.ts';
import { lowStockText } from '../../domain/stores/alert-messages.ts';
import { parseStoreEvent } from '../../domain/stores/store-event.ts';
import type { StockFacts } from '../../domain/stores/payloads.ts';
import type { MailMessage } from '../email/mailer.ts';
import { applyOrder } from './apply-order.ts';
import { lockStore } from './store-lock.ts';
import { raiseAlert, sendPendingAlertEmails } from './store-alerts.ts';
import type { ApplyEventsInput, ApplyEventsResult, StoreActivityDeps } from './types.ts';

interface Applied {
  status: WebhookEventStatus;
  /** The store's figures moved: announce them once at the end of the batch. */
  figuresMoved: boolean;
  storeDeleted?: boolean;
  mail?: MailMessage[];
}

/**
 * Applies a batch of received webhooks in id order, in one transaction under the store's lock.
 * Each event is claimed (`status = 'received'`, row locked) before it is applied and marked in
 * the same transaction, so a retried activity, a restarted worker or a duplicate signal applies
 * an event at most once. One event that cannot be applied is marked failed (in a savepoint) and
 * does not hold up the rest.
 */
export async function applyStoreEvents(deps: StoreActivityDeps, input: ApplyEventsInput): Promise<ApplyEventsResult> {
  const result: ApplyEventsResult = { applied: 0, stale: 0, ignored: 0, failed: 0, storeDeleted: false };
  const store = await findStore(deps.db, input.storeId);
  if (!store) return { ...result, storeDeleted: true };
  const mail: MailMessage[] = [];
  await deps.db.transaction(async (trx) => {
    await lockStore(trx, store.id);
    let figuresMoved = false;
    for (const eventId of [...new Set(input.eventIds)].sort((a, b) => a - b)) {
      let outcome: Applied | null;
      try {
        outcome = await trx.transaction(async (sp) => {
          const event = await claimPendingEvent(sp, store.id, eventId);
          if (!event) return null;
          const applied = await applyEvent(sp, store, event);
          if (!applied.storeDeleted) await markEvent(sp, event.id, applied.status);
          return applied;
        });
      } catch (error) {
        await markEvent(trx, eventId, 'failed', (error as Error).message);
        result.failed += 1;
        continue;
      }
      if (!outcome) continue;
      if (outcome.storeDeleted) {
        result.storeDeleted = true;
        return;
      }
      result[outcome.status === 'applied' ? 'applied' : outcome.status === 'stale' ? 'stale' : 'ignored'] += 1;
      figuresMoved ||= outcome.figuresMoved;
      mail.push(...(outcome.mail ?? []));
    }
    // Webhooks are arriving again: a quiet-webhooks condition is over.
    if (result.applied + result.stale + result.ignored > 0) await clearAlert(trx, store.id, 'webhooks_quiet', 'webhooks');
    if (figuresMoved) await publish(trx, `store:${store.id}`, 'metrics.updated', await storeFigures(trx, store, new Date()));
  });
  if (result.storeDeleted) return result;
  for (const message of mail) await deps.mailer.send(message);
  await sendPendingAlertEmails(deps, store);
  return result;
}

async function applyEvent(trx: Knex.Transaction, store: StoreRow, event: WebhookEventRow): Promise<Applied> {
  const parsed = parseStoreEvent(store.platform, event.topic, JSON.parse(event.body), store.currency);
  switch (parsed?.kind) {
    case undefined:
      return { status: 'ignored', figuresMoved: false };
    case 'order': {
      const change = await applyOrder(trx, store, parsed.order);
      return { status: change.outcome === 'stale' ? 'stale' : 'applied', figuresMoved: change.outcome !== 'stale' };
    }
    case 'stock':
      return parsed.stock ? applyStock(trx, store, parsed.stock) : { status: 'ignored', figuresMoved: false };
    case 'cart':
      return { status: 'applied', figuresMoved: await insertCart(trx, store.id, parsed.cart) };
    case 'gdpr_customer_redact': {
      const { customerId, orderIds } = parsed.request;
      await redactCustomer(trx, store.id, customerId, orderIds);
      await redactCustomerEvents(trx, store.id, customerId, orderIds);
      // The request itself names the customer: keep that it came, not who.
      await trx('store_webhook_events').where({ id: event.id }).update({ body: JSON.stringify({ customer: { id: customerId }, orders_to_redact: orderIds }) });
      return { status: 'applied', figuresMoved: false };
    }
    case 'gdpr_data_request':
      return { status: 'applied', figuresMoved: false, mail: await dataRequestMail(trx, store, event, parsed.request) };
    case 'gdpr_shop_redact':
      await deleteStore(trx, store.id);
      return { status: 'applied', figuresMoved: false, storeDeleted: true };
  }
}

async function applyStock(trx: Knex.Transaction, store: StoreRow, stock: StockFacts): Promise<Applied> {
  const level = await upsertStockLevel(trx, store.id, stock);
  if (!level) return { status: 'stale', figuresMoved: false };
  const conditionKey = `${stock.itemId}@${stock.locationId}`;
  if (isLowStock(stock.available, level.threshold)) {
    await raiseAlert(trx, store, 'low_stock', conditionKey, lowStockText(store.name, { ...stock, threshold: level.threshold }), { itemId: stock.itemId, locationId: stock.locationId, available: stock.available, threshold: level.threshold });
  } else {
    await clearAlert(trx, store.id, 'low_stock', conditionKey);
  }
  return { status: 'applied', figuresMoved: true };
}

/** Shopify asks the app to hand the store owner what it holds on a customer: mailed to the owners and admins. */
async function dataRequestMail(trx: Knex.Transaction, store: StoreRow, event: WebhookEventRow, request: { customerId: string; orderIds: string[] }): Promise<MailMessage[]> {
  const orders = await customerOrders(trx, store.id, request.customerId, request.orderIds);
  const recipients = await storeAlertRecipients(trx, store.organization_id);
  const text = `Shopify forwarded a customer data request for ${store.name} (customer ${request.customerId}). This is all Pulseboard holds on them:\n\n${JSON.stringify({ customerId: request.customerId, orders }, null, 2)}`;
  return recipients.map((r) => ({ to: r.email, subject: `Customer data request for ${store.name}`, text, idempotencyKey: `store-gdpr:${event.id}:${r.id}` }));
}
