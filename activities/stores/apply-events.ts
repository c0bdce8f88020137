import type { Knex } from 'knex';
import { publish, publishAll } from '../../db/realtime/publish.ts';
import { claimPendingEvents, claimReceivedEvents, markEvents, redactCustomerEvents, type EventOutcome, type WebhookEventRow, type WebhookEventStatus } from '../../db/repositories/stores-events.ts';
import { deleteStore, findLiveStore, findLiveStores, markStoreUninstalled, storeAlertRecipients, type StoreRow } from '../../db/repositories/stores.ts';
import { addRefund, customerOrders, redactCustomer, type OrderChange } from '../../db/repositories/orders.ts';
import { insertCart, lowestStockOf, recordItemTitles, upsertStockLevel } from '../../db/repositories/stores-stock.ts';
import { storeFigures } from '../../db/repositories/store-metrics.ts';
import { isLowStock } from '../../domain/stores/alert-rules.ts';
import { lowStockText } from '../../domain/stores/alert-messages.ts';
import { parseStoreEvent, type StoreEvent } from '../../domain/stores/store-event.ts';
import type { StockFacts } from '../../domain/stores/payloads.ts';
import type { MailMessage } from '../../runtime/mail/mailer.ts';
import { ANNOUNCED_PER_BATCH, applyOrders, type Announcements } from './apply-order.ts';
import { lockStores } from './store-lock.ts';
import { raiseAlert, resolveAlert, resolveAlerts, sendPendingAlertEmails } from './store-alerts.ts';
import { storesAwaitingEmail } from '../../db/repositories/stores-alerts.ts';
import type { ApplyEventsInput, ApplyEventsResult, StoreActivityDeps } from './types.ts';

interface Applied {
  status: WebhookEventStatus;
  /** The store's figures moved: announce them once at the end of the batch. */
  figuresMoved: boolean;
  storeDeleted?: boolean;
  mail?: MailMessage[];
}

type Parsed = { event: WebhookEventRow; parsed: StoreEvent | null } | { event: WebhookEventRow; error: string };
type Readable = Extract<Parsed, { parsed: StoreEvent | null }>;

/**
 * Applies a batch of received webhooks in id order, in one transaction under the store's lock.
 * The events are claimed (`status = 'received'`, marked applied) and the others marked in the same transaction,
 * so a retried activity, a restarted worker or a duplicate signal applies an event at most once.
 * A run of consecutive order events is written together (a few statements for the whole run);
 * other events one by one. An event that cannot be applied is marked failed and does not hold up
 * the rest: the batch is first applied whole, without savepoints (two round trips fewer per run);
 * should an event fail, that transaction is rolled back and the batch applied again with each
 * run, then each of its events, in a savepoint.
 */
export async function applyStoreEvents(deps: StoreActivityDeps, input: ApplyEventsInput): Promise<ApplyEventsResult> {
  const store = await findLiveStore(deps.db, input.storeId);
  if (!store) return { ...noneApplied(), storeDeleted: true };
  return applyAlone(deps, store, input.eventIds);
}

/** The most received events of one store an ingest window claims in one transaction. */
export const RECEIVED_AT_ONCE = 500;

/**
 * What an ingest window does (see ingest-windows.ts): every received event of each of these
 * stores, up to RECEIVED_AT_ONCE each, applied as applyStoreEvents applies a batch, all the stores
 * in one transaction (one commit and far fewer round trips than a transaction each; the stores'
 * locks taken in id order, so two processes never wait on each other in a circle). Should one of
 * them fail, the group is rolled back and each store applied alone.
 */
export async function applyReceivedEvents(deps: StoreActivityDeps, storeIds: number[]): Promise<Map<number, ApplyEventsResult>> {
  const stores = await findLiveStores(deps.db, storeIds);
  const results = new Map<number, ApplyEventsResult>(storeIds.map((id) => [id, { ...noneApplied(), storeDeleted: true }]));
  const which = 'received';
  let applied: Array<{ store: StoreRow; result: ApplyEventsResult; mail: MailMessage[] }> = [];
  try {
    await deps.db.transaction(async (trx) => {
      applied = [];
      const claimed = await lockAndClaim(trx, stores.map((s) => s.id), which);
      for (const store of stores) applied.push({ store, ...(await applyInTransaction(trx, store, claimed.get(store.id) ?? [], 'whole')) });
      await resolveAlerts(trx, applied.filter((a) => heardFrom(a.result)).map((a) => a.store.id), 'webhooks_quiet', 'webhooks');
    });
  } catch {
    for (const store of stores) results.set(store.id, await applyAlone(deps, store, which));
    return results;
  }
  // One query finds the stores with alerts to mail (seldom any), instead of one per store.
  const mailing = new Set(await storesAwaitingEmail(deps.db, stores.map((s) => s.id)));
  for (const { store, result, mail } of applied) {
    results.set(store.id, result);
    if (!result.storeDeleted && (mail.length || mailing.has(store.id))) await sendMail(deps, store, mail);
  }
  return results;
}

/** Webhooks are arriving again: a quiet-webhooks condition is over. */
const heardFrom = (result: ApplyEventsResult) => !result.storeDeleted && result.applied + result.stale + result.ignored > 0;

/** One store's batch in a transaction of its own: whole, or should an event fail, again in savepoints. */
async function applyAlone(deps: StoreActivityDeps, store: StoreRow, which: Which): Promise<ApplyEventsResult> {
  const applyIn = (mode: Mode) =>
    deps.db.transaction(async (trx) => {
      const claimed = await lockAndClaim(trx, [store.id], which);
      const applied = await applyInTransaction(trx, store, claimed.get(store.id) ?? [], mode);
      if (heardFrom(applied.result)) await resolveAlert(trx, store.id, 'webhooks_quiet', 'webhooks');
      return applied;
    });
  const { result, mail } = await applyIn('whole').catch((error: unknown) => {
    if (!(error instanceof EventFailed)) throw error;
    return applyIn('in-savepoints');
  });
  if (!result.storeDeleted) await sendMail(deps, store, mail);
  return result;
}

async function sendMail(deps: StoreActivityDeps, store: StoreRow, mail: MailMessage[]): Promise<void> {
  for (const message of mail) await deps.mailer.send(message);
  await sendPendingAlertEmails(deps, store);
}

const noneApplied = (): ApplyEventsResult => ({ applied: 0, stale: 0, ignored: 0, failed: 0, storeDeleted: false });

/** An event failed in a batch applied whole: its transaction is lost, the batch goes again in savepoints. */
class EventFailed extends Error {}

type Mode = 'whole' | 'in-savepoints';
/** An activity's batch names its events; a window takes each store's oldest received. */
type Which = number[] | 'received';

/** Takes the stores' locks and claims their events, a statement each for all the stores: by store. */
async function lockAndClaim(trx: Knex.Transaction, storeIds: number[], which: Which): Promise<Map<number, WebhookEventRow[]>> {
  await lockStores(trx, storeIds);
  const rows = which === 'received' ? await claimReceivedEvents(trx, storeIds, RECEIVED_AT_ONCE) : await claimPendingEvents(trx, storeIds[0], which);
  const byStore = new Map<number, WebhookEventRow[]>();
  for (const row of rows) {
    const storeId = Number(row.store_id);
    if (!byStore.has(storeId)) byStore.set(storeId, []);
    byStore.get(storeId)!.push(row);
  }
  return byStore;
}

/** Applies a store's claimed events (in id order) in the caller's transaction, under its lock. */
async function applyInTransaction(trx: Knex.Transaction, store: StoreRow, claimed: WebhookEventRow[], mode: Mode): Promise<{ result: ApplyEventsResult; mail: MailMessage[] }> {
  const result = noneApplied();
  const mail: MailMessage[] = [];
  const events = claimed.map((event) => parse(store, event));
  // Applied whole, the batch's feed events and its figures go out in one statement at its end.
  const announcements: Announcements | undefined = mode === 'whole' ? [] : undefined;
  const outcomes: EventOutcome[] = [];
  let figuresMoved = false;
  for (const run of runsOf(events)) {
    const applied = 'error' in run[0] ? [{ status: 'failed' as const, figuresMoved: false, error: run[0].error }] : await applyRun(trx, store, run as Readable[], mode, announcements);
    for (const [i, outcome] of applied.entries()) {
      if (outcome.storeDeleted) {
        result.storeDeleted = true;
        await publishAll(trx, `store:${store.id}`, (announcements ?? []).slice(-ANNOUNCED_PER_BATCH));
        return { result, mail };
      }
      outcomes.push({ id: run[i].event.id, status: outcome.status, error: 'error' in outcome ? outcome.error : undefined });
      result[outcome.status === 'applied' ? 'applied' : outcome.status === 'stale' ? 'stale' : outcome.status === 'failed' ? 'failed' : 'ignored'] += 1;
      figuresMoved ||= outcome.figuresMoved;
      mail.push(...(outcome.mail ?? []));
    }
  }
  await markEvents(trx, outcomes.filter((o) => o.status !== 'applied')); // the claim marked them applied
  const ending = [...(announcements ?? []).slice(-ANNOUNCED_PER_BATCH), ...(figuresMoved ? [{ event: 'metrics.updated', data: await storeFigures(trx, store, new Date()) }] : [])];
  await publishAll(trx, `store:${store.id}`, ending);
  return { result, mail };
}

function parse(store: StoreRow, event: WebhookEventRow): Parsed {
  try {
    return { event, parsed: parseStoreEvent(store.platform, event.topic, JSON.parse(event.body), store.currency) };
  } catch (error) {
    return { event, error: (error as Error).message };
  }
}

/** Consecutive order events go together; every other event (and every unreadable one) alone. */
function runsOf(events: Parsed[]): Parsed[][] {
  const runs: Parsed[][] = [];
  const isOrder = (e: Parsed) => 'parsed' in e && e.parsed?.kind === 'order';
  for (const event of events) {
    const last = runs.at(-1);
    if (last && isOrder(event) && isOrder(last[0])) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

type RunOutcome = Applied & { error?: string };

async function applyRun(trx: Knex.Transaction, store: StoreRow, run: Readable[], mode: Mode, announcements: Announcements | undefined): Promise<RunOutcome[]> {
  const orders = () => run.map((e) => (e.parsed as Extract<StoreEvent, { kind: 'order' }>).order);
  const outcomesOf = (changes: OrderChange[]): RunOutcome[] => changes.map((c) => ({ status: c.outcome === 'stale' ? 'stale' : 'applied', figuresMoved: c.outcome !== 'stale' }));
  if (mode === 'whole') {
    try {
      return run.length > 1 ? outcomesOf(await applyOrders(trx, store, orders(), announcements)) : [await applyEvent(trx, store, run[0].event, run[0].parsed, announcements)];
    } catch (error) {
      throw new EventFailed(reasonOf(error), { cause: error });
    }
  }
  if (run.length > 1) {
    try {
      return outcomesOf(await trx.transaction((sp) => applyOrders(sp, store, orders())));
    } catch {
      // One of them cannot be written: find which, one by one.
    }
  }
  const outcomes: RunOutcome[] = [];
  for (const { event, parsed } of run) {
    try {
      outcomes.push(await trx.transaction((sp) => applyEvent(sp, store, event, parsed)));
    } catch (error) {
      outcomes.push({ status: 'failed', figuresMoved: false, error: reasonOf(error) });
    }
  }
  return outcomes;
}

/**
 * Why an event could not be written: for a database error its code and constraint, neither the
 * statement (knex puts its SQL before the message) nor the row's values (a detail may hold PII).
 */
function reasonOf(error: unknown): string {
  const { code, constraint, message } = error as { code?: unknown; constraint?: string; message?: string };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `database error ${code}${constraint ? ` on ${constraint}` : ''}`;
  return message ?? String(error);
}

async function applyEvent(trx: Knex.Transaction, store: StoreRow, event: WebhookEventRow, parsed: StoreEvent | null, announcements?: Announcements): Promise<Applied> {
  switch (parsed?.kind) {
    case undefined:
      return { status: 'ignored', figuresMoved: false };
    case 'order': {
      const [change] = await applyOrders(trx, store, [parsed.order], announcements);
      return { status: change.outcome === 'stale' ? 'stale' : 'applied', figuresMoved: change.outcome !== 'stale' };
    }
    case 'refund': {
      const counted = await addRefund(trx, store, parsed.refund);
      return { status: counted ? 'applied' : 'stale', figuresMoved: counted };
    }
    case 'product_titles':
      await recordItemTitles(trx, store.id, parsed.items);
      return { status: 'applied', figuresMoved: true };
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
    case 'app_uninstalled':
      // The token died with the install: forget it, take no more webhooks, and stop the actor.
      await markStoreUninstalled(trx, store.id);
      await publish(trx, `store:${store.id}`, 'store.uninstalled', { storeId: store.id });
      return { status: 'applied', figuresMoved: false, storeDeleted: true };
  }
}

async function applyStock(trx: Knex.Transaction, store: StoreRow, stock: StockFacts): Promise<Applied> {
  const level = await upsertStockLevel(trx, store.id, stock);
  if (!level) return { status: 'stale', figuresMoved: false };
  // One alert per product until it clears: the product is short while any of its locations is,
  // so a second location running low, or one refilled while another is still short, alerts nobody.
  const shortest = await lowestStockOf(trx, store.id, stock.itemId);
  if (isLowStock(shortest.available, level.threshold)) {
    const text = lowStockText(store.name, { ...stock, title: level.title, available: shortest.available, threshold: level.threshold });
    await raiseAlert(trx, store, 'low_stock', stock.itemId, text, { itemId: stock.itemId, locationId: shortest.locationId, available: shortest.available, threshold: level.threshold });
  } else {
    await resolveAlert(trx, store.id, 'low_stock', stock.itemId);
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
