import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { DEFAULT_STORE_PLAN, type StorePlan } from '../../domain/stores/plans.ts';
import type { StoreView } from '../../domain/stores/views.ts';
import { STORE_EVENTS_CHANNEL } from './store-ingest-windows.ts';

type Conn = Db | Knex.Transaction;

/** A webhook the platform holds for us, as last listed. */
export interface WebhookSubscription {
  topic: string;
  id: string;
}

export interface StoreRow {
  id: number;
  organization_id: number;
  platform: 'shopify' | 'woocommerce';
  name: string;
  domain: string;
  api_base_url: string;
  /** Null once forgotten (the Shopify app was uninstalled). */
  credentials_sealed: string | null;
  /** Null when webhooks are signed with the Shopify app's client secret. */
  webhook_secret_sealed: string | null;
  webhook_signing: 'store' | 'app';
  uninstalled_at: Date | null;
  webhook_subscriptions: WebhookSubscription[];
  webhooks_checked_at: Date | null;
  token_valid: boolean | null;
  token_checked_at: Date | null;
  timezone: string;
  currency: string;
  high_value_threshold_minor: number;
  low_stock_threshold: number;
  revenue_drop_percent: number;
  last_webhook_at: Date | null;
  webhook_errors: number;
  last_error: string | null;
  last_error_at: Date | null;
  reconciled_at: Date | null;
  webhooks_quiet_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function storeView(row: StoreRow): StoreView {
  return {
    id: row.id,
    organizationId: row.organization_id,
    platform: row.platform,
    name: row.name,
    domain: row.domain,
    apiBaseUrl: row.api_base_url,
    timezone: row.timezone,
    currency: row.currency,
    highValueThresholdMinor: row.high_value_threshold_minor,
    lowStockThreshold: row.low_stock_threshold,
    revenueDropPercent: row.revenue_drop_percent,
    connection: row.webhook_signing === 'app' ? 'shopify_app' : 'pasted',
    uninstalledAt: iso(row.uninstalled_at),
    health: {
      lastWebhookAt: iso(row.last_webhook_at),
      webhookErrors: row.webhook_errors,
      lastError: row.last_error,
      lastErrorAt: iso(row.last_error_at),
      reconciledAt: iso(row.reconciled_at),
      webhooksQuietSince: iso(row.webhooks_quiet_since),
      webhooks: row.webhook_subscriptions.map((w) => w.topic),
      webhooksCheckedAt: iso(row.webhooks_checked_at),
      tokenValid: row.token_valid,
      tokenCheckedAt: iso(row.token_checked_at),
    },
    createdAt: row.created_at.toISOString(),
  };
}

export type NewStoreRow = Omit<StoreRow, 'id' | 'uninstalled_at' | 'webhook_subscriptions' | 'webhooks_checked_at' | 'token_valid' | 'token_checked_at' | 'last_webhook_at' | 'webhook_errors' | 'last_error' | 'last_error_at' | 'reconciled_at' | 'webhooks_quiet_since' | 'created_at' | 'updated_at' | 'webhook_signing'> & { webhook_signing?: StoreRow['webhook_signing'] };

/** Null when the organization already has a store on this platform and domain. */
export async function insertStore(db: Conn, store: NewStoreRow): Promise<StoreRow | null> {
  const [row] = await db('stores').insert(store).onConflict(['organization_id', 'platform', 'domain']).ignore().returning('*');
  return (row as StoreRow | undefined) ?? null;
}

export async function findStore(db: Conn, storeId: number): Promise<StoreRow | null> {
  return ((await db('stores').where({ id: storeId }).first()) as StoreRow | undefined) ?? null;
}

/** The store while it is connected: null once deleted or its app uninstalled. */
export async function findLiveStore(db: Conn, storeId: number): Promise<StoreRow | null> {
  return ((await db('stores').where({ id: storeId }).whereNull('uninstalled_at').first()) as StoreRow | undefined) ?? null;
}

/** Those of the stores still live, in id order. */
export async function findLiveStores(db: Conn, storeIds: number[]): Promise<StoreRow[]> {
  return (await db('stores').whereIn('id', storeIds).whereNull('uninstalled_at').orderBy('id')) as StoreRow[];
}

export async function recordWebhookSubscriptions(db: Conn, storeId: number, subscriptions: WebhookSubscription[]): Promise<boolean> {
  return (await db('stores').where({ id: storeId }).update({ webhook_subscriptions: JSON.stringify(subscriptions), webhooks_checked_at: db.fn.now() })) > 0;
}

export async function findOrgStore(db: Conn, organizationId: number, storeId: number): Promise<StoreRow | null> {
  return ((await db('stores').where({ id: storeId, organization_id: organizationId }).first()) as StoreRow | undefined) ?? null;
}

export async function findStoreByDomain(db: Conn, organizationId: number, platform: StoreRow['platform'], domain: string): Promise<StoreRow | null> {
  return ((await db('stores').where({ organization_id: organizationId, platform, domain }).first()) as StoreRow | undefined) ?? null;
}

/** The app was installed again on a known shop: a new token, and webhooks are taken again. */
export async function reinstallStore(db: Conn, storeId: number, changes: { credentials_sealed: string; api_base_url: string }): Promise<void> {
  await db('stores').where({ id: storeId }).update({ ...changes, webhook_signing: 'app', webhook_secret_sealed: null, uninstalled_at: null, updated_at: db.fn.now() });
}

/** app/uninstalled: the token is forgotten (it no longer works anyway) and webhooks are no longer taken. */
export async function markStoreUninstalled(db: Conn, storeId: number): Promise<void> {
  await db('stores').where({ id: storeId }).update({ credentials_sealed: null, uninstalled_at: db.fn.now(), webhook_subscriptions: JSON.stringify([]), updated_at: db.fn.now() });
}

export async function listOrgStores(db: Conn, organizationId: number): Promise<StoreRow[]> {
  return db('stores').where({ organization_id: organizationId }).orderBy('id');
}

export async function countOrgStores(db: Conn, organizationId: number): Promise<number> {
  const [{ count }] = await db('stores').where({ organization_id: organizationId }).count<{ count: string }[]>('* as count');
  return Number(count);
}

export async function updateStore(db: Conn, storeId: number, changes: Partial<NewStoreRow>): Promise<StoreRow | null> {
  const [row] = await db('stores').where({ id: storeId }).update({ ...changes, updated_at: db.fn.now() }).returning('*');
  return (row as StoreRow | undefined) ?? null;
}

/**
 * Deletes the store and, by cascade, everything under it, and names it on STORE_EVENTS_CHANNEL:
 * the process holding its ingest window finds it gone at once and ends the window.
 */
export async function deleteStore(db: Conn, storeId: number): Promise<boolean> {
  const { rows } = await db.raw('with gone as (delete from stores where id = ? returning id) select pg_notify(?, id::text) from gone', [storeId, STORE_EVENTS_CHANNEL]);
  return rows.length > 0;
}

/** What the platform made of the credentials on a call that could tell: answered, or refused them (401/403). */
export async function recordTokenCheck(db: Conn, storeId: number, valid: boolean): Promise<void> {
  await db('stores').where({ id: storeId }).update({ token_valid: valid, token_checked_at: db.fn.now() });
}

export async function recordStoreError(db: Conn, storeId: number, message: string): Promise<void> {
  await db('stores').where({ id: storeId }).update({ last_error: message.slice(0, 500), last_error_at: db.fn.now(), webhook_errors: db.raw('webhook_errors + 1') });
}

export async function storePlanOf(db: Conn, organizationId: number): Promise<StorePlan> {
  const row = await db('store_subscriptions').where({ organization_id: organizationId }).first('plan');
  return (row?.plan as StorePlan | undefined) ?? DEFAULT_STORE_PLAN;
}

/**
 * Applies a billing event once: false when the event id was seen before. The organization's row is
 * locked so a concurrent store creation sees either the old plan or the new one, not a mix.
 */
export async function applyBillingEvent(db: Db, event: { id: string; type: string; organizationId: number; plan: StorePlan; customerId: string | null }): Promise<boolean> {
  return db.transaction(async (trx) => {
    const [seen] = await trx('store_billing_events').insert({ id: event.id, type: event.type }).onConflict('id').ignore().returning('id');
    if (!seen) return false;
    await trx('store_subscriptions')
      .insert({ organization_id: event.organizationId, plan: event.plan, stripe_customer_id: event.customerId })
      .onConflict('organization_id')
      .merge({ plan: event.plan, stripe_customer_id: event.customerId, updated_at: trx.fn.now() });
    return true;
  });
}

/** Owners and admins of the store's organization: who hears of its alerts. */
export async function storeAlertRecipients(db: Conn, organizationId: number): Promise<Array<{ id: number; email: string }>> {
  return db('memberships as m').join('users as u', 'u.id', 'm.user_id').where('m.organization_id', organizationId).whereIn('m.role', ['owner', 'admin']).select('u.id', 'u.email').orderBy('u.id');
}

/** Webhooks reach the store again: when the last one came, and a quiet-webhooks warning is over. */
export async function markStoreAlive(db: Conn, storeId: number, at: Date): Promise<void> {
  await db('stores').where({ id: storeId }).update({ last_webhook_at: at, webhooks_quiet_since: null });
}
