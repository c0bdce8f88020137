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
 * Keeps a delivery once, by its webhook id: one INSERT, on the acknowledgement's path. `id` is
 * null for a duplicate. (Marking the store alive is a separate, throttled write: an UPDATE of the
 * store's row per webhook piles dead row versions behind every open transaction under a burst.)
 */
export async function recordWebhookEvent(db: Conn, event: IncomingWebhook): Promise<{ id: number | null }> {
  const rows: Array<{ id: number }> = await db('store_webhook_events')
    .insert({
      store_id: event.storeId,
      webhook_id: event.webhookId,
      event_id: event.eventId,
      topic: event.topic,
      triggered_at: event.triggeredAt,
      body: event.body,
      status: event.status,
      error: event.error ?? null,
    })
    .onConflict(['store_id', 'webhook_id'])
    .ignore()
    .returning('id');
  return { id: rows[0]?.id ?? null };
}

/** Those of the events that still wait to be applied, locked, in id order (a retried activity skips the rest). */
export async function claimPendingEvents(trx: Knex.Transaction, storeId: number, eventIds: number[]): Promise<WebhookEventRow[]> {
  return trx('store_webhook_events').where({ store_id: storeId, status: 'received' }).whereIn('id', eventIds).orderBy('id').forUpdate();
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
