import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { publish } from '../db/realtime/publish.ts';
import { attachRelay } from '../api/realtime/relay.ts';
import type { RelayAccess } from '../api/realtime/access.ts';
import type { Db } from '../db/connection.ts';
import { parseConfig } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { withBenchDatabase } from './support/postgres.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';

/**
 * One change announced with `publish` (pg_notify after commit), delivered by the relay to
 * 500 sockets on loopback, against a bare `ws` server sending the same message to 500
 * sockets. Latency runs from just before the commit (or the first send) to each socket's
 * receipt. Clients and servers share this process, for both measurements alike.
 */
const SOCKETS = 500;
const ANNOUNCEMENTS = 50;
const WARM_UP = 20;
const TOPIC = 'board:1';
const DATA = { cardId: 42, from: 'todo', to: 'doing', title: 'Call the plumber about the boiler', movedBy: 'Alice', position: 3 };

const everyoneMaySee: RelayAccess = {
  authenticate: async () => ({ id: 'bench', name: 'Bench' }),
  canSubscribe: async () => true,
};

interface Clients {
  /** Resolves with each socket's latency once all of them received the message with this seq. */
  receipt(seq: number, since: () => number): Promise<number[]>;
  close(): void;
}

async function connectClients(url: string, subscribe: boolean): Promise<Clients> {
  let expected = { seq: -1, arrived: [] as number[], resolve: (_latencies: number[]) => {}, since: () => 0 };
  const sockets = await Promise.all(
    Array.from({ length: SOCKETS }, async () => {
      const ws = new WebSocket(url);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      if (subscribe) {
        ws.send(JSON.stringify({ type: 'subscribe', topic: TOPIC }));
        await new Promise((resolve) => ws.once('message', resolve));
      }
      ws.on('message', (raw) => {
        const at = performance.now();
        const message = JSON.parse(String(raw));
        if (message.seq !== expected.seq) return;
        expected.arrived.push(at - expected.since());
        if (expected.arrived.length === SOCKETS) expected.resolve(expected.arrived);
      });
      return ws;
    }),
  );
  return {
    receipt: (seq, since) => new Promise((resolve) => (expected = { seq, arrived: [], resolve, since })),
    close: () => sockets.forEach((ws) => ws.terminate()),
  };
}

function summary(latencies: number[]): Record<string, number> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(2));
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1]), samples: sorted.length };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function measureRelay(db: Db): Promise<number[]> {
  const server = createServer();
  const ctx = { config: parseConfig({ NODE_ENV: 'test' }), db, log: createLogger('silent'), temporal: null };
  const relay = await attachRelay(server, ctx, everyoneMaySee);
  const clients = await connectClients(`ws://127.0.0.1:${await listen(server)}/ws`, true);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < WARM_UP + ANNOUNCEMENTS; i += 1) {
      const trx = await db.transaction();
      const seq = await publish(trx, TOPIC, 'card.moved', DATA);
      let committing = 0;
      const received = clients.receipt(seq, () => committing);
      committing = performance.now();
      await trx.commit();
      const each = await received;
      if (i >= WARM_UP) latencies.push(...each);
    }
  } finally {
    clients.close();
    await relay.close();
    server.close();
  }
  return latencies;
}

async function measureBareBroadcast(): Promise<number[]> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const clients = await connectClients(`ws://127.0.0.1:${await listen(server)}/`, false);
  const latencies: number[] = [];
  try {
    for (let seq = 1; seq <= WARM_UP + ANNOUNCEMENTS; seq += 1) {
      let sending = 0;
      const received = clients.receipt(seq, () => sending);
      sending = performance.now();
      // The same bytes the relay sends, serialised once, as a broadcast loop would.
      const frame = Buffer.from(JSON.stringify({ type: 'event', topic: TOPIC, seq, event: 'card.moved', data: DATA }));
      for (const ws of wss.clients) ws.send(frame, { binary: false });
      const each = await received;
      if (seq > WARM_UP) latencies.push(...each);
    }
  } finally {
    clients.close();
    wss.close();
    server.close();
  }
  return latencies;
}

export default async function run(): Promise<BenchResult> {
  return withBenchDatabase('bench_relay', 4, async (db) => {
    const baseline = summary(await measureBareBroadcast());
    const figures = summary(await measureRelay(db));
    const result: BenchResult = {
      name: 'relay-fanout',
      figures: { ...figures, p99OverBaseline: Number((figures.p99Ms / baseline.p99Ms).toFixed(2)) },
      baseline,
      goal: { p99Ms: '< 50 ms', p99OverBaseline: '< 2x the bare ws broadcast p99' },
      met: figures.p99Ms < 50 && figures.p99Ms < 2 * baseline.p99Ms,
    };
    return result;
  });
}

if (isMain(import.meta.url)) printResult(await run());
