import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { Pool } from 'undici';
import { verifyShopifyHmac } from '../domain/signing/store-webhook-hmac.ts';
import { backendCpuOf, startBackend } from './support/backend.ts';
import { connectBenchStores, cpuFigures, endToEndMs, sendOrderWebhook, watchDashboards } from './support/stores.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';

/**
 * 5,000 signed Shopify orders/create webhooks from 4 concurrent senders (one store each) on
 * loopback, against the whole backend (Temporal in its own process, as under `npm start`):
 * acknowledgement latency and throughput beside a bare Express endpoint that only verifies the
 * HMAC; the time from stored to applied; and from sending a webhook to a dashboard socket
 * receiving a `metrics.updated` that includes it. With them, the CPU a webhook costs each process
 * (this one holds the API and the senders; the baseline's is the senders' and a bare endpoint's):
 * the apply path shares the 2 cores with the answers, so this figure explains the throughput.
 * Absolute rates on a shared 2-core machine measure the host: the goals are relative to the bare
 * endpoint measured in the same run.
 */
const WEBHOOKS = Number(process.env.WEBHOOKS ?? 5_000);
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

/** Each sender posts its share one after the other; answers ack latencies, send times per store and the wall time. */
async function send(baseUrl: string, targets: Array<{ storeId: number; secret: string }>): Promise<{ acks: number[]; sentAt: number[][]; seconds: number; failures: number }> {
  const pool = new Pool(baseUrl, { connections: SENDERS * 2 });
  const acks: number[] = [];
  const sentAt: number[][] = targets.map(() => []);
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    targets.map(async (target, sender) => {
      for (let i = 0; i < WEBHOOKS / SENDERS; i++) {
        const sent = await sendOrderWebhook(pool, target, sender * 1_000_000 + i + 1);
        acks.push(sent.ackMs);
        sentAt[sender].push(sent.sentAt);
        if (sent.status !== 200) failures++;
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
  const { db } = backend;
  try {
    const { result: bare, perWebhook: baseCpu } = await cpuPerWebhook(baseline);

    const targets = await connectBenchStores(backend, SENDERS);
    const dashboards = await watchDashboards(backend, targets);
    const { seen } = dashboards;
    const { result: ours, perWebhook: cpu } = await cpuPerWebhook(async () => {
      const sent = await send(backend.url, targets);
      const deadline = Date.now() + 120_000;
      while (seen.some((m) => m.size < WEBHOOKS / SENDERS) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return sent;
    });
    const endToEnd = endToEndMs(seen, ours.sentAt);
    const [{ count: applied }] = await db('store_webhook_events').where({ status: 'applied' }).count();
    const [{ sum: counted }] = await db('store_metrics_daily').sum('orders');
    // The middle step, from the database's own clock: stored by the API to applied by the actor.
    const waits: Array<{ ms: number }> = await db('store_webhook_events').select(db.raw('extract(epoch from processed_at - received_at) * 1000 as ms'));
    dashboards.close();

    const ack = stats(ours.acks);
    const baseAck = stats(bare.acks);
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
      ...cpuFigures(cpu),
    };
    const base = { webhooksPerSecond: round(WEBHOOKS / bare.seconds), ackP99Ms: baseAck.p99 };
    const result: BenchResult = {
      name: 'webhook-ingest',
      figures,
      baseline: { ackP50Ms: baseAck.p50, ...base, cpuMsPerWebhookApi: baseCpu.root },
      goal: {
        webhooksPerSecond: `>= 0.35 x the bare HMAC endpoint's (${round(0.35 * base.webhooksPerSecond)})`,
        ackP99Ms: `<= 3 x the bare endpoint's p99 (${round(3 * base.ackP99Ms)})`,
        endToEndP99Ms: '< 500',
        lost: `none (${WEBHOOKS} applied and counted)`,
      },
      met:
        figures.webhooksPerSecond >= 0.35 * base.webhooksPerSecond &&
        figures.ackP99Ms <= 3 * base.ackP99Ms &&
        figures.endToEndP99Ms < 500 &&
        figures.eventsApplied === WEBHOOKS &&
        figures.ordersCounted === WEBHOOKS &&
        endToEnd.length === WEBHOOKS,
    };
    return result;
  } finally {
    await backend.stop();
  }
}

if (isMain(import.meta.url)) run().then(printResult).then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
