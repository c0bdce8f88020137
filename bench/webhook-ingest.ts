import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { Pool } from 'undici';
import { WebSocket } from 'ws';
import { insertOrganizationWithOwner } from '../db/repositories/organizations.ts';
import { connectStore } from '../api/routes/stores/connect-store.ts';
import { verifyShopifyHmac } from '../domain/signing/store-webhook-hmac.ts';
import { backendCpuOf, startBackend } from './support/backend.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';

/**
 * 5,000 signed Shopify orders/create webhooks from 4 concurrent senders (one store each) on
 * loopback, against the whole backend (Temporal in its own process, as under `npm start`):
 * acknowledgement latency and throughput beside a bare Express endpoint that only verifies the
 * HMAC; the time from stored to applied; and from sending a webhook to a dashboard socket
 * receiving a `metrics.updated` that includes it. With them, the CPU a webhook costs each process
 * (this one holds the API and the senders; the baseline's is the senders' and a bare endpoint's):
 * the apply path shares the 2 cores with the answers, so this figure explains the throughput.
 */
const WEBHOOKS = 5_000;
const SENDERS = 4;

const round = (n: number) => Number(n.toFixed(2));


/**
 * CPU ms per webhook that `work` costs each process, counted until the backend idles after it;
 * this process ('root') holds the API and the senders.
 */
async function cpuPerWebhook<T>(work: () => Promise<T>): Promise<{ result: T; perWebhook: Record<string, number> }> {
  const { result, byPart } = await backendCpuOf(work);
  const perWebhook: Record<string, number> = {};
  for (const [part, ms] of byPart) perWebhook[part] = round(ms / WEBHOOKS);
  return { result, perWebhook };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
};

function order(id: number) {
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

interface Target {
  storeId: number;
  secret: string;
}

/** Each sender posts its share one after the other; answers ack latencies, send times per store and the wall time. */
async function send(baseUrl: string, targets: Target[]): Promise<{ acks: number[]; sentAt: number[][]; seconds: number; failures: number }> {
  const pool = new Pool(baseUrl, { connections: SENDERS * 2 });
  const acks: number[] = [];
  const sentAt: number[][] = targets.map(() => []);
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    targets.map(async (target, sender) => {
      for (let i = 0; i < WEBHOOKS / SENDERS; i++) {
        const id = sender * 1_000_000 + i + 1;
        const body = order(id);
        const t0 = performance.now();
        const res = await pool.request({
          method: 'POST',
          path: `/webhooks/shopify/${target.storeId}`,
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'orders/create',
            'x-shopify-hmac-sha256': createHmac('sha256', target.secret).update(body).digest('base64'),
            'x-shopify-webhook-id': `bench-${id}`,
            'x-shopify-event-id': `ev-${id}`,
            'x-shopify-triggered-at': new Date().toISOString(),
          },
          body,
        });
        await res.body.dump();
        acks.push(performance.now() - t0);
        sentAt[sender].push(t0);
        if (res.statusCode !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { acks, sentAt, seconds, failures };
}

async function baseline(): Promise<{ acks: number[]; seconds: number }> {
  const secret = 'bench-secret';
  const app = express();
  app.post('/webhooks/shopify/:storeId', express.raw({ type: () => true }), (req, res) => {
    if (!verifyShopifyHmac(req.body as Buffer, req.get('x-shopify-hmac-sha256'), secret)) return void res.status(401).end();
    res.json({ ok: true });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const result = await send(`http://127.0.0.1:${port}`, Array.from({ length: SENDERS }, (_, i) => ({ storeId: i + 1, secret })));
  server.close();
  return result;
}

export default async function run(): Promise<BenchResult> {
  const backend = await startBackend();
  const { db, ctx } = backend;
  try {
    const { result: base, perWebhook: baseCpu } = await cpuPerWebhook(baseline);

    const owner = await backend.person('customer');
    const org = await insertOrganizationWithOwner(db, 'Bench', owner.id);
    await db('store_subscriptions').insert({ organization_id: org.id, plan: 'pro' });
    const targets: Target[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const webhookSecret = `bench-signing-key-${i}-0123456789`;
      const { store } = await connectStore(ctx, org.id, {
        platform: 'shopify', shopDomain: `bench-${i}.myshopify.com`, accessToken: 'shpat_bench_token', webhookSigningKey: webhookSecret, name: `Bench ${i}`, timezone: 'UTC', currency: 'EUR',
        highValueThresholdMinor: 10_000_000, lowStockThreshold: 0, revenueDropPercent: 50, backfillDays: 0,
      });
      targets.push({ storeId: store.id, secret: webhookSecret });
    }
    // One dashboard socket per store (the owner's), noting when each figure of today's order count first arrived.
    const seen: Array<Map<number, number>> = targets.map(() => new Map());
    const sockets = await Promise.all(
      targets.map(async (target, i) => {
        const ws = new WebSocket(`${backend.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${owner.token}` } });
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        ws.send(JSON.stringify({ type: 'subscribe', topic: `store:${target.storeId}` }));
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
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { result: ours, perWebhook: cpu } = await cpuPerWebhook(async () => {
      const sent = await send(backend.url, targets);
      const deadline = Date.now() + 120_000;
      while (seen.some((m) => m.size < WEBHOOKS / SENDERS) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return sent;
    });
    const endToEnd: number[] = [];
    seen.forEach((m, i) => ours.sentAt[i].forEach((t0, k) => m.has(k + 1) && endToEnd.push(m.get(k + 1)! - t0)));
    const [{ count: applied }] = await db('store_webhook_events').where({ status: 'applied' }).count();
    const [{ sum: counted }] = await db('store_metrics_daily').sum('orders');
    // The middle step, from the database's own clock: stored by the API to applied by the actor.
    const waits: Array<{ ms: number }> = await db('store_webhook_events').select(db.raw('extract(epoch from processed_at - received_at) * 1000 as ms'));
    sockets.forEach((ws) => ws.terminate());

    const ack = stats(ours.acks);
    const baseAck = stats(base.acks);
    const e2e = stats(endToEnd);
    const storedToApplied = stats(waits.map((w) => Number(w.ms)));
    const figures = {
      ackP50Ms: ack.p50,
      ackP99Ms: ack.p99,
      webhooksPerSecond: round(WEBHOOKS / ours.seconds),
      storedToAppliedP50Ms: storedToApplied.p50,
      storedToAppliedP99Ms: storedToApplied.p99,
      endToEndP50Ms: e2e.p50,
      endToEndP99Ms: e2e.p99,
      eventsApplied: Number(applied),
      ordersCounted: Number(counted),
      failures: ours.failures,
      cpuMsPerWebhookApi: cpu.root,
      cpuMsPerWebhookWorker: cpu.worker ?? 0,
      cpuMsPerWebhookTemporal: cpu.temporal ?? 0,
      cpuMsPerWebhookPostgres: cpu.postgres ?? 0,
      cpuMsPerWebhook: round(cpu.root + (cpu.worker ?? 0) + (cpu.temporal ?? 0) + (cpu.postgres ?? 0)),
    };
    const result: BenchResult = {
      name: 'webhook-ingest',
      figures,
      baseline: { ackP50Ms: baseAck.p50, ackP99Ms: baseAck.p99, webhooksPerSecond: round(WEBHOOKS / base.seconds), cpuMsPerWebhookApi: baseCpu.root },
      goal: { ackP99Ms: '< 20', webhooksPerSecond: '>= 1000', endToEndP99Ms: '< 500', lost: `none (${WEBHOOKS} applied and counted)` },
      met: figures.ackP99Ms < 20 && figures.webhooksPerSecond >= 1000 && figures.endToEndP99Ms < 500 && figures.eventsApplied === WEBHOOKS && figures.ordersCounted === WEBHOOKS && endToEnd.length === WEBHOOKS,
    };
    return result;
  } finally {
    await backend.stop();
  }
}

if (isMain(import.meta.url)) run().then(printResult).then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
