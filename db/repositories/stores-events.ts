import type { Knex } from 'knex';
import type { Db } from '../connection.ts';

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

/**
 * Keeps a delivery once, by its webhook id, and notes that the store's webhooks are alive, in one
 * round trip (this is on the acknowledgement's path). `id` is null for a duplicate.
 */
export async function recordWebhookEvent(db: Conn, event: IncomingWebhook): Promise<{ id: number | null }> {
  const result = await db.raw<{ rows: Array<{ id: number }> }>(
    `with ins as (
       insert into store_webhook_events (store_id, webhook_id, event_id, topic, triggered_at, body, status, error)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (store_id, webhook_id) do nothing
       returning id
     ), alive as (
       update stores set last_webhook_at = now(), webhooks_quiet_since = null where id = ?
     )
     select id from ins`,
    [event.storeId, event.webhookId, event.eventId, event.topic, event.triggeredAt, event.body, event.status, event.error ?? null, event.storeId],
  );
  return { id: result.rows[0]?.id ?? null };
}

/** The event, locked, if it still waits to be applied; null once it was (a retried activity skips it). */
export async function claimPendingEvent(trx: Knex.Transaction, storeId: number, eventId: number): Promise<WebhookEventRow | null> {
  const row = await trx('store_webhook_events').where({ id: eventId, store_id: storeId, status: 'received' }).forUpdate().first();
  return (row as WebhookEventRow | undefined) ?? null;
}

export async function markEvent(db: Conn, eventId: number, status: WebhookEventStatus, error?: string): Promise<void> {
  await db('store_webhook_events').where({ id: eventId }).update({ status, error: error?.slice(0, 500) ?? null, processed_at: db.fn.now() });
}

/** Received but not applied for a while: their signal was lost (say, the API died between ack and signal). */
export async function strandedEventIds(db: Conn, storeId: number, olderThan: Date, limit: number): Promise<number[]> {
  return db('store_webhook_events').where({ store_id: storeId, status: 'received' }).where('received_at', '<', olderThan).orderBy('id').limit(limit).pluck('id');
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
