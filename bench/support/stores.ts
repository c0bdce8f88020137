import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { WebSocket } from 'ws';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';
import { connectStore } from '../../api/routes/stores/connect-store.ts';
import { storeLimitsOf } from '../../domain/stores/plans.ts';
import type { Backend } from './backend.ts';

/** A connected Shopify store, its webhook signing key, and the token of its organization's owner. */
export interface BenchStore {
  storeId: number;
  secret: string;
  ownerToken: string;
}

const PLAN = 'pro';

/** `count` connected stores (backfill off), in as many organizations on the pro plan as its store limit needs. */
export async function connectBenchStores(backend: Backend, count: number, onProgress?: (connected: number) => void): Promise<BenchStore[]> {
  const perOrganization = storeLimitsOf(PLAN).stores;
  const stores: BenchStore[] = [];
  let owner: { id: number; token: string } | undefined;
  let organizationId = 0;
  for (let i = 0; i < count; i++) {
    if (i % perOrganization === 0) {
      owner = await backend.person('customer');
      organizationId = (await insertOrganizationWithOwner(backend.db, `Bench ${i / perOrganization}`, owner.id)).id;
      await backend.db('store_subscriptions').insert({ organization_id: organizationId, plan: PLAN });
    }
    const secret = `bench-signing-key-${i}-0123456789`;
    const { store } = await connectStore(backend.ctx, organizationId, {
      platform: 'shopify', shopDomain: `bench-${i}.myshopify.com`, accessToken: 'shpat_bench_token', webhookSigningKey: secret, name: `Bench ${i}`, timezone: 'UTC', currency: 'EUR',
      highValueThresholdMinor: 10_000_000, lowStockThreshold: 0, revenueDropPercent: 50, backfillDays: 0,
    });
    stores.push({ storeId: store.id, secret, ownerToken: owner!.token });
    onProgress?.(stores.length);
  }
  return stores;
}

/** A Shopify orders/create payload for today. */
function orderBody(id: number): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    id,
    name: `#${id}`,
    created_at: now,
    updated_at: now,
    cancelled_at: null,
    financial_status: 'paid',
    total_price: '19.90',
    currency: 'EUR',
    customer: { id: 1, email: 'bench@example.test' },
    line_items: [{ id: id * 10, product_id: 1, sku: 'B', title: 'Bench', quantity: 1, price: '19.90' }],
  });
}

/** Posts order `id` to the store's webhook endpoint, signed as Shopify signs it; answers the status and the ack latency. */
export async function sendOrderWebhook(http: Dispatcher, store: { storeId: number; secret: string }, id: number): Promise<{ status: number; ackMs: number; sentAt: number }> {
  const body = orderBody(id);
  const sentAt = performance.now();
  const res = await http.request({
    method: 'POST',
    path: `/webhooks/shopify/${store.storeId}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-hmac-sha256': createHmac('sha256', store.secret).update(body).digest('base64'),
      'x-shopify-webhook-id': `bench-${id}`,
      'x-shopify-event-id': `ev-${id}`,
      'x-shopify-triggered-at': new Date().toISOString(),
    },
    body,
  });
  await res.body.dump();
  return { status: res.statusCode, ackMs: performance.now() - sentAt, sentAt };
}

/**
 * One dashboard socket per store (its owner's), subscribed to the store's topic: `seen[i]` maps
 * each value of today's order count to when a `metrics.updated` first showed it.
 */
export async function watchDashboards(backend: Backend, stores: BenchStore[]): Promise<{ seen: Array<Map<number, number>>; close(): void }> {
  const seen: Array<Map<number, number>> = stores.map(() => new Map());
  const sockets = await Promise.all(
    stores.map(async (store, i) => {
      const ws = new WebSocket(`${backend.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${store.ownerToken}` } });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      ws.send(JSON.stringify({ type: 'subscribe', topic: `store:${store.storeId}` }));
      ws.on('message', (raw) => {
        const at = performance.now();
        const message = JSON.parse(String(raw));
        if (message.event !== 'metrics.updated') return;
        const orders = message.data.today.orders as number;
        for (let k = orders; k > 0 && !seen[i].has(k); k--) seen[i].set(k, at);
      });
      return ws;
    }),
  );
  // Subscriptions are answered asynchronously: give them a moment before anything is sent.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { seen, close: () => sockets.forEach((ws) => ws.terminate()) };
}

/** Webhook to dashboard: for each store's k-th webhook, the time until its socket showed k orders. */
export function endToEndMs(seen: Array<Map<number, number>>, sentAt: number[][], rounds: { from?: number; to?: number } = {}): number[] {
  const { from = 0, to = Infinity } = rounds;
  const latencies: number[] = [];
  seen.forEach((m, i) => sentAt[i].forEach((t0, k) => k >= from && k < to && m.has(k + 1) && latencies.push(m.get(k + 1)! - t0)));
  return latencies;
}

/** CPU ms per webhook by process ('root' is the API with the senders), and their sum. */
export function cpuFigures(perWebhook: Record<string, number>): Record<string, number> {
  const parts = { Api: perWebhook.root ?? 0, Worker: perWebhook.worker ?? 0, Temporal: perWebhook.temporal ?? 0, Postgres: perWebhook.postgres ?? 0 };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { ...Object.fromEntries(Object.entries(parts).map(([part, ms]) => [`cpuMsPerWebhook${part}`, ms])), cpuMsPerWebhook: Number(total.toFixed(2)) };
}
