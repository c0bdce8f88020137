/**
 * 500 connected stores (500 store actors), each sending one signed Shopify orders/create webhook
 * every 2 s for 60 s, the stores spread evenly over each 2 s, with each store's dashboard socket
 * open: ack latency, webhook to dashboard latency, CPU per webhook by process, lost and doubled
 * orders. Baseline, in the same run: one store sending webhooks one after the other (as
 * webhook-ingest does), whose CPU per webhook the many stores' is held to.
 *
 *   STORES=50 DURATION_S=20 npx tsx bench/stores-scale.ts
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { backendCpuOf, startBackend, type Backend } from './support/backend.ts';
import { connectBenchStores, cpuFigures, endToEndMs, sendOrderWebhook, watchDashboards, type BenchStore } from './support/stores.ts';

const STORES = Number(process.env.STORES ?? 500);
const INTERVAL_MS = 2_000;
const DURATION_MS = Number(process.env.DURATION_S ?? 60) * 1000;
const BASELINE_WEBHOOKS = Number(process.env.BASELINE_WEBHOOKS ?? 1_000);
/** How long the dashboards may take to show the last webhooks before the rest count as lost. */
const SETTLE_MS = 60_000;
const STEADY_FROM_ROUND = 5;

const round = (n: number) => Number(n.toFixed(2));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
};

interface Sent {
  acks: number[];
  sentAt: number[][];
  failures: number;
}

/** Until every store's dashboard showed as many orders as it sent, or SETTLE_MS. */
async function settle(seen: Array<Map<number, number>>, sent: number[][]): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (seen.some((m, i) => m.size < sent[i].length) && Date.now() < deadline) await sleep(100);
}

/** Orders each store's metrics counted against the webhooks it sent: those missing and those counted twice. */
async function lostAndDoubled(backend: Backend, stores: BenchStore[], sent: number[][]): Promise<{ lost: number; doubled: number }> {
  const rows: Array<{ store_id: string; orders: string }> = await backend.db('store_metrics_daily').select('store_id').sum({ orders: 'orders' }).whereIn('store_id', stores.map((s) => s.storeId)).groupBy('store_id');
  const counted = new Map(rows.map((r) => [Number(r.store_id), Number(r.orders)]));
  let lost = 0;
  let doubled = 0;
  stores.forEach((store, i) => {
    const difference = (counted.get(store.storeId) ?? 0) - sent[i].length;
    if (difference < 0) lost -= difference;
    else doubled += difference;
  });
  return { lost, doubled };
}

/** The single store: BASELINE_WEBHOOKS one after the other, until its dashboard shows them all. */
async function oneStore(backend: Backend, store: BenchStore, seen: Array<Map<number, number>>): Promise<Sent> {
  const http = new Pool(backend.url, { connections: 1 });
  const sent: Sent = { acks: [], sentAt: [[]], failures: 0 };
  for (let k = 0; k < BASELINE_WEBHOOKS; k++) {
    const { status, ackMs, sentAt } = await sendOrderWebhook(http, store, 900_000_000 + k);
    sent.acks.push(ackMs);
    sent.sentAt[0].push(sentAt);
    if (status !== 200) sent.failures++;
  }
  await http.close();
  await settle(seen, sent.sentAt);
  return sent;
}

/** Every store sends one webhook every INTERVAL_MS for DURATION_MS, the stores spread evenly over the interval. */
async function manyStores(backend: Backend, stores: BenchStore[], seen: Array<Map<number, number>>): Promise<Sent> {
  const http = new Pool(backend.url, { connections: 64 });
  const sent: Sent = { acks: [], sentAt: stores.map(() => []), failures: 0 };
  const perStore = Math.floor(DURATION_MS / INTERVAL_MS);
  const began = performance.now() + 100;
  const progress = setInterval(() => {
    const applied = seen.reduce((n, m) => n + m.size, 0);
    console.log(`  ${Math.round((performance.now() - began) / 1000)} s: ${sent.acks.length} acknowledged, ${applied} on dashboards`);
  }, 10_000);
  try {
    await Promise.all(
      stores.map(async (store, i) => {
        const inFlight: Promise<void>[] = [];
        for (let k = 0; k < perStore; k++) {
          await sleep(began + (i * INTERVAL_MS) / stores.length + k * INTERVAL_MS - performance.now());
          // Not awaited: a slow answer must not delay the store's next webhook.
          inFlight.push(
            sendOrderWebhook(http, store, i * 1_000_000 + k + 1).then(({ status, ackMs, sentAt }) => {
              sent.acks.push(ackMs);
              sent.sentAt[i][k] = sentAt;
              if (status !== 200) sent.failures++;
            }),
          );
        }
        await Promise.all(inFlight);
      }),
    );
    await settle(seen, sent.sentAt);
  } finally {
    clearInterval(progress);
    await http.close();
  }
  return sent;
}

export default async function run(): Promise<BenchResult> {
  const backend = await startBackend();
  try {
    console.log(`stores-scale: ${STORES} stores, one webhook each every ${INTERVAL_MS / 1000} s for ${DURATION_MS / 1000} s`);
    const stores = await connectBenchStores(backend, STORES + 1, (n) => n % 50 === 0 && console.log(`  connected ${n} of ${STORES + 1} stores`));
    const [single, ...many] = stores;

    const singleDashboard = await watchDashboards(backend, [single]);
    const { result: alone, byPart: aloneCpu } = await backendCpuOf(() => oneStore(backend, single, singleDashboard.seen));
    singleDashboard.close();
    const aloneFigures = cpuFigures(Object.fromEntries([...aloneCpu].map(([part, ms]) => [part, ms / BASELINE_WEBHOOKS])));

    const dashboards = await watchDashboards(backend, many);
    const { result: sent, byPart } = await backendCpuOf(() => manyStores(backend, many, dashboards.seen));
    dashboards.close();
    const webhooks = sent.acks.length;
    const cpu = cpuFigures(Object.fromEntries([...byPart].map(([part, ms]) => [part, ms / webhooks])));
    const { lost, doubled } = await lostAndDoubled(backend, many, sent.sentAt);
    const e2e = stats(endToEndMs(dashboards.seen, sent.sentAt));
    // Each store's first webhook is the one its actor hands a window out for; the later ones find it out.
    const firstRound = stats(endToEndMs(dashboards.seen, sent.sentAt, { to: 1 }));
    const laterRounds = stats(endToEndMs(dashboards.seen, sent.sentAt, { from: 1 }));
    // From the sixth round (10 s in) on: the steady state, once every store's window is out.
    const steady = stats(endToEndMs(dashboards.seen, sent.sentAt, { from: STEADY_FROM_ROUND }));
    const ack = stats(sent.acks);

    const figures = { stores: STORES, webhooks, ackP50Ms: ack.p50, ackP99Ms: ack.p99, endToEndP50Ms: e2e.p50, endToEndP99Ms: e2e.p99, endToEndP99MsFirstWebhooks: firstRound.p99, endToEndP99MsLaterWebhooks: laterRounds.p99, endToEndP99MsFrom10s: steady.p99, ...cpu, failures: sent.failures, lost, doubled };
    const aloneAck = stats(alone.acks);
    const aloneE2e = stats(endToEndMs(singleDashboard.seen, alone.sentAt));
    return {
      name: 'stores-scale',
      figures,
      baseline: { stores: 1, webhooks: BASELINE_WEBHOOKS, ackP50Ms: aloneAck.p50, ackP99Ms: aloneAck.p99, endToEndP50Ms: aloneE2e.p50, endToEndP99Ms: aloneE2e.p99, ...aloneFigures },
      goal: { endToEndP99Ms: '< 1000', cpuMsPerWebhook: `<= 2 x one store's (${round(2 * aloneFigures.cpuMsPerWebhook)})`, lost: '0', doubled: '0' },
      met: e2e.p99 < 1000 && cpu.cpuMsPerWebhook <= 2 * aloneFigures.cpuMsPerWebhook && lost === 0 && doubled === 0 && sent.failures === 0,
    };
  } finally {
    await backend.stop();
  }
}

if (isMain(import.meta.url)) printResult(await run());
