import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { publish } from '../db/realtime/publish.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { untilIdle } from './support/process-cpu.ts';
import { startBackend } from './support/backend.ts';
import { apiCall, openProvider, slotAfterAnHour } from './support/marketplace.ts';

/**
 * A customer confirms; the provider's open socket receives the new task on their board. The
 * baseline, in the same run, is the same board event published straight to the relay (the part
 * of the path that is not the booking actor).
 */
const BOOKINGS = 100;
const CONCURRENCY = 4;

export default async function run(): Promise<BenchResult> {
  const backend = await startBackend();
  const sockets: WebSocket[] = [];
  try {
    const provider = await openProvider(backend);
    const customers = await Promise.all(Array.from({ length: 10 }, () => backend.person('customer')));
    const holdFor = async (i: number) => (await apiCall(backend, customers[i % customers.length].token, 'POST', '/api/v1/bookings/hold', { serviceId: provider.serviceId, startsAt: slotAfterAnHour(i).toISOString() })).json.id as number;

    // A first confirmed booking makes the provider's board.
    const first = await holdFor(0);
    await apiCall(backend, customers[0].token, 'POST', `/api/v1/bookings/${first}/confirm`, {});
    const board = await backend.db('boards').where({ provider_id: provider.providerId }).first('id');

    const socket = new WebSocket(backend.url.replace('http', 'ws') + '/ws', { headers: { authorization: `Bearer ${provider.token}` } });
    sockets.push(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const waiting = new Map<number | string, (at: number) => void>();
    socket.on('message', (raw) => {
      const at = performance.now();
      const message = JSON.parse(String(raw));
      if (message.type === 'event' && message.event === 'task.created') waiting.get(message.data.bookingId)?.(at);
    });
    socket.send(JSON.stringify({ type: 'subscribe', topic: `board:${board.id}` }));
    await new Promise((resolve) => socket.once('message', resolve));
    const arrival = (key: number | string) => new Promise<number>((resolve) => waiting.set(key, resolve));

    const holds = await Promise.all(Array.from({ length: BOOKINGS }, (_, i) => holdFor(i + 1)));
    // The holds' own work (each actor's first task) is done before the first confirm is timed.
    await untilIdle(process.pid);
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < holds.length) {
          const i = next++;
          const arrived = arrival(holds[i]);
          const sent = performance.now();
          await apiCall(backend, customers[(i + 1) % customers.length].token, 'POST', `/api/v1/bookings/${holds[i]}/confirm`, {});
          latencies.push((await arrived) - sent);
        }
      }),
    );

    const baseline: number[] = [];
    for (let i = 0; i < BOOKINGS; i++) {
      const key = `baseline-${i}`;
      const arrived = arrival(key);
      const sent = performance.now();
      await publish(backend.db, `board:${board.id}`, 'task.created', { bookingId: key, boardId: board.id });
      baseline.push((await arrived) - sent);
    }

    latencies.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    const round = (n: number) => Number(n.toFixed(2));
    const result: BenchResult = {
      name: 'booking-to-board',
      figures: { p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), bookings: latencies.length },
      baseline: { p50Ms: round(percentile(baseline, 50)), p99Ms: round(percentile(baseline, 99)), bookings: baseline.length },
      goal: { p99Ms: '< 300 ms from confirm to the provider’s socket' },
      met: latencies.length === BOOKINGS && percentile(latencies, 99) < 300,
    };
    return result;
  } finally {
    sockets.forEach((s) => s.terminate());
    await backend.stop();
  }
}

if (isMain(import.meta.url)) printResult(await run());
