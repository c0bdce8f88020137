import request from 'supertest';
import { createHmac } from 'node:crypto';
import type { Stack } from '../../support/stack.ts';
import { createOrg, signedInAs, type Session } from '../platform/helpers.ts';
import { FAKE_SHOPIFY_TOKEN, FAKE_WOO_KEY, FAKE_WOO_SECRET } from '../../support/fake-store-server.ts';

export interface ConnectedStore {
  owner: Session;
  orgId: number;
  storeId: number;
  secret: string;
  body: Record<string, unknown>;
}

let shops = 0;

/** A new organization (basic plan) with one store connected through the API. */
export async function connectStore(stack: Pick<Stack, 'app' | 'ctx'>, platform: 'shopify' | 'woocommerce', overrides: Record<string, unknown> = {}): Promise<ConnectedStore> {
  const owner = await signedInAs(stack.app, 'customer', stack.ctx.db);
  const orgId = await createOrg(owner, 'Shop Org');
  shops += 1;
  const credentials =
    platform === 'shopify'
      ? { platform, shopDomain: `shop-${Date.now().toString(36)}-${shops}.myshopify.com`, accessToken: FAKE_SHOPIFY_TOKEN, webhookSigningKey: `shpss_admin_signing_key_${shops}` }
      : { platform, siteUrl: `https://woo-${shops}.example.test`, consumerKey: FAKE_WOO_KEY, consumerSecret: FAKE_WOO_SECRET };
  const res = await owner.agent
    .post(`/api/v1/orgs/${orgId}/stores`)
    .set('X-CSRF-Token', owner.csrf)
    .send({ ...credentials, name: 'Test Shop', timezone: 'Europe/Berlin', currency: 'EUR', apiBaseUrl: 'http://127.0.0.1:10', backfillDays: 0, ...overrides })
    .expect(201);
  const secret = platform === 'shopify' ? (overrides.webhookSigningKey as string | undefined) ?? `shpss_admin_signing_key_${shops}` : res.body.webhookSecret;
  return { owner, orgId, storeId: res.body.store.id, secret, body: res.body };
}

let deliveries = 0;

export function shopifyWebhook(stack: Pick<Stack, 'app'>, store: { storeId: number; secret: string }, topic: string, payload: unknown, headers: Record<string, string> = {}) {
  deliveries += 1;
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return request(stack.app)
    .post(`/webhooks/shopify/${store.storeId}`)
    .set('Content-Type', 'application/json')
    .set('X-Shopify-Topic', topic)
    .set('X-Shopify-Hmac-Sha256', createHmac('sha256', store.secret).update(body).digest('base64'))
    .set('X-Shopify-Webhook-Id', `wh-${Date.now()}-${deliveries}`)
    .set('X-Shopify-Event-Id', `ev-${deliveries}`)
    .set('X-Shopify-Triggered-At', new Date().toISOString())
    .set(headers)
    .send(body);
}

export function wooWebhook(stack: Stack, store: { storeId: number; secret: string }, topic: string, payload: unknown, headers: Record<string, string> = {}) {
  deliveries += 1;
  const body = JSON.stringify(payload);
  return request(stack.app)
    .post(`/webhooks/woocommerce/${store.storeId}`)
    .set('Content-Type', 'application/json')
    .set('X-WC-Webhook-Topic', topic)
    .set('X-WC-Webhook-Signature', createHmac('sha256', store.secret).update(body).digest('base64'))
    .set('X-WC-Webhook-Delivery-ID', `d-${Date.now()}-${deliveries}`)
    .set(headers)
    .send(body);
}

export function shopifyOrder(id: number, fields: { total?: string; createdAt?: string; updatedAt?: string; quantity?: number; cancelled?: boolean; email?: string } = {}) {
  const createdAt = fields.createdAt ?? new Date().toISOString();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    email: fields.email ?? `buyer${id}@example.test`,
    created_at: createdAt,
    updated_at: fields.updatedAt ?? createdAt,
    cancelled_at: fields.cancelled ? fields.updatedAt ?? createdAt : null,
    financial_status: 'paid',
    total_price: fields.total ?? '25.00',
    currency: 'EUR',
    cart_token: null,
    customer: { id: id + 5000, email: fields.email ?? `buyer${id}@example.test` },
    line_items: [{ id: id * 10, product_id: 77, sku: 'MUG', title: 'Mug', quantity: fields.quantity ?? 1, price: fields.total ?? '25.00' }],
  };
}

export async function dashboard(store: ConnectedStore) {
  return (await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/dashboard`).expect(200)).body;
}
