import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { queryPrepared } from '../prepared.ts';
import { STORE_EVENTS_CHANNEL } from './store-ingest-windows.ts';

type Conn = Db | Knex.Transaction;

export type WebhookEventStatus = 'received' | 'applied' | 'stale' | 'ignored' | 'malformed' | 'failed';

export interface WebhookEventRow {
  id: number;
  store_id: number;
  webhook_id: string;
  event_id: string | null;
  topic: string;
  triggered_at: Date | null;
  received_at: Date;
  body: string;
  status: WebhookEventStatus;
  error: string | null;
}

export interface IncomingWebhook {
  storeId: number;
  webhookId: string;
  eventId: string | null;
  topic: string;
  triggeredAt: Date | null;
  body: string;
  status: 'received' | 'malformed' | 'ignored';
  error?: string;
}

/** Keeps one delivery once, by its webhook id; `id` is null for a duplicate. */
export async function recordWebhookEvent(db: Db, event: IncomingWebhook): Promise<{ id: number | null; windowed: boolean }> {
  const [recorded] = await recordWebhookEvents(db, [event]);
  return recorded;
}

/**
 * Several deliveries in one INSERT, each kept once by its webhook id; answers in their order.
 * A delivery whose webhook id is already stored, or came earlier in the same list, gets a null
 * id. The rows travel as one JSON document: cheaper to encode than arrays of escaped bodies.
 * This is the acknowledgement path's only write. (Marking the store alive is a separate, throttled
 * one: an UPDATE of the store's row per webhook piles dead row versions behind every open
 * transaction under a burst.) A prepared statement: under a burst the inserts carry a few rows
 * each, and parsing and planning the statement was a good part of what each cost PostgreSQL.
 * Each received delivery names its store on STORE_EVENTS_CHANNEL when its row commits (the worker
 * holding the store's ingest window applies it), and `windowed` says whether a window was out:
 * if not, the store's actor must hear of it by signal. (The window's row stays locked until the
 * delivery commits: a window that closes meanwhile waits for it, then applies it.)
 */
export async function recordWebhookEvents(db: Db, events: IncomingWebhook[]): Promise<Array<{ id: number | null; windowed: boolean }>> {
  const document = JSON.stringify(
    events.map((e) => ({ store_id: e.storeId, webhook_id: e.webhookId, event_id: e.eventId, topic: e.topic, triggered_at: e.triggeredAt, body: e.body, status: e.status, error: e.error ?? null })),
  );
  const recorded = await queryPrepared<{ id: number; store_id: number; webhook_id: string; windowed: boolean }>(
    db,
    'record-webhook-events-windowed',
    db.raw(
      `with recorded as (
       insert into store_webhook_events (store_id, webhook_id, event_id, topic, triggered_at, body, status, error)
       select store_id, webhook_id, event_id, topic, triggered_at, body, status, error
       from json_to_recordset(?::json) as r(store_id bigint, webhook_id text, event_id text, topic text, triggered_at timestamptz, body text, status text, error text)
       on conflict (store_id, webhook_id) do nothing
       returning id, store_id, webhook_id, status
     )
     select id, store_id, webhook_id,
       exists (select 1 from store_ingest_windows w where w.store_id = recorded.store_id and w.held_until > now() for share) as windowed,
       case when status = 'received' then pg_notify(?, store_id::text) end as notified
     from recorded`,
      [document, STORE_EVENTS_CHANNEL],
    ),
  );
  const rows = new Map(recorded.map((r) => [`${r.store_id} ${r.webhook_id}`, r]));
  return events.map((e) => {
    const key = `${e.storeId} ${e.webhookId}`;
    const row = rows.get(key);
    rows.delete(key); // a second delivery of the same id in this list is its duplicate
    return { id: row?.id ?? null, windowed: row?.windowed ?? false };
  });
}

/**
 * Those of the events that still wait to be applied, in id order (a retried activity skips the
 * rest), claimed by marking them applied in the same statement: nearly all of them will be, and
 * the transaction marks the others (markEvents) before it commits. One new row version per event,
 * where locking the rows and then updating them wrote each twice.
 */
export async function claimPendingEvents(trx: Knex.Transaction, storeId: number, eventIds: number[]): Promise<WebhookEventRow[]> {
  const rows: WebhookEventRow[] = await trx('store_webhook_events')
    .where({ store_id: storeId, status: 'received' })
    .whereRaw('id = any(?::bigint[])', [eventIds])
    .update({ status: 'applied', error: null, processed_at: trx.fn.now() }, '*');
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * The oldest `perStore` received events of each of the stores, claimed as claimPendingEvents
 * claims them, in one statement for all (an ingest window takes what arrived, not ids it was told).
 */
export async function claimReceivedEvents(trx: Knex.Transaction, storeIds: number[], perStore: number): Promise<WebhookEventRow[]> {
  const { rows } = await trx.raw<{ rows: WebhookEventRow[] }>(
    `update store_webhook_events e set status = 'applied', error = null, processed_at = now()
     from (select id from (select id, row_number() over (partition by store_id order by id) as n
                           from store_webhook_events where store_id = any(?::bigint[]) and status = 'received') ranked
           where n <= ?) oldest
     where e.id = oldest.id and e.status = 'received'
     returning e.*`,
    [storeIds, perStore],
  );
  return rows.sort((a, b) => a.id - b.id);
}

export interface EventOutcome {
  id: number;
  status: WebhookEventStatus;
  error?: string;
}

/** Notes how each event ended, in one statement. */
export async function markEvents(db: Conn, outcomes: EventOutcome[]): Promise<void> {
  if (!outcomes.length) return;
  await db.raw(
    `update store_webhook_events e set status = o.status, error = nullif(o.error, ''), processed_at = now()
     from unnest(?::bigint[], ?::text[], ?::text[]) as o(id, status, error) where e.id = o.id`,
    [outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => o.error?.slice(0, 500) ?? '')],
  );
}

/** Received but not applied for a while: their signal was lost (say, the API died between ack and signal). */
export async function strandedEventIds(db: Conn, storeId: number, olderThan: Date, limit: number): Promise<number[]> {
  return db('store_webhook_events').where({ store_id: storeId, status: 'received' }).where('received_at', '<', olderThan).orderBy('id').limit(limit).pluck('id');
}

/**
 * Every store's received but unapplied events, in id order: what an outage of the workflow service
 * left waiting. One index range per store (store_id, status, id), not a scan of all events.
 */
export async function unappliedEventsByStore(db: Conn): Promise<Array<{ storeId: number; eventIds: number[] }>> {
  const { rows } = await db.raw<{ rows: Array<{ store_id: string; ids: string[] }> }>(
    `select store_id, ids from (
       select s.id as store_id, array(select e.id from store_webhook_events e where e.store_id = s.id and e.status = 'received' order by e.id) as ids
       from stores s
     ) waiting
     where cardinality(ids) > 0
     order by store_id`,
  );
  return rows.map((r) => ({ storeId: Number(r.store_id), eventIds: r.ids.map(Number) }));
}

/**
 * GDPR: deliveries that carry the customer's details lose their body: their orders' events and
 * their earlier data requests (the redact request itself is rewritten by the caller).
 */
export async function redactCustomerEvents(db: Conn, storeId: number, customerId: string, orderIds: string[]): Promise<number> {
  return db('store_webhook_events')
    .where({ store_id: storeId })
    .whereNot({ status: 'malformed' })
    .where((q) =>
      q
        .where((o) => o.whereIn('topic', ['orders/create', 'orders/updated', 'order.created', 'order.updated']).whereRaw("(body::jsonb ->> 'id') = any(?)", [orderIds]))
        .orWhere((d) => d.where({ topic: 'customers/data_request' }).whereRaw("(body::jsonb -> 'customer' ->> 'id') = ?", [customerId])),
    )
    .update({ body: '{"redacted":true}' });
}

export async function countEventsByStatus(db: Conn, storeId: number): Promise<Record<string, number>> {
  const rows: Array<{ status: string; count: string }> = await db('store_webhook_events').where({ store_id: storeId }).groupBy('status').select('status').count('* as count');
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
}
