/**
 * The SDK's floor under actors-idle's due minute: DEADLINES bare actors (bench/workflows/wakes-at.ts:
 * sleep until a time, wake, end) whose timers all fall due in the same minute, spread evenly over it,
 * on a worker with the product's cache (MAX_CACHED_WORKFLOWS), so that, like a booking's, each wake
 * is a cache miss replayed from the server's history. No activity, no database of ours: what it costs
 * a fire is what any actor pays on this machine before doing its own work.
 *
 * Then the part of a wake that is replay: REPLAYS copies of a booking's history (held, confirmed,
 * auto-declined at its deadline, as test/workflows/histories/scenarios.ts records it), replayed on
 * the product's bundle, against the same number of copies of a bare actor's (the baseline).
 *
 * The server runs as its own process (with its PostgreSQL under it), the worker in this one.
 *
 *   DEADLINES=10000 npx tsx bench/deadline-floor.ts
 */
import { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { nativeConnectionOptions } from '../runtime/temporal-connection.ts';
import { MAX_CACHED_WORKFLOWS, productBundle } from '../workers/worker.ts';
import { workflowOutcomeSinks } from '../workers/worker-metrics.ts';
import { recordActorHistories, recordingEnv } from '../test/workflows/histories/scenarios.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { processCpuMs, rssMb, treeCpuMs, untilIdle } from './support/process-cpu.ts';
import { startBenchServer } from './support/temporal-server.ts';
import { inTurn } from './support/in-turn.ts';

const DEADLINES = Number(process.env.DEADLINES ?? 10_000);
const CONCURRENCY = 32;
const MINUTE_MS = 60_000;
const IDLE_SAMPLE_MS = 10_000;
const REPLAYS = Number(process.env.REPLAYS ?? 1_000);

const round = (n: number) => Number(n.toFixed(2));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** CPU so far, ms: this process (the worker), the server, and the server's PostgreSQL. */
function cpu(serverPid: number): { worker: number; server: number; postgres: number } {
  const { user, system } = process.cpuUsage();
  const server = processCpuMs(serverPid);
  return { worker: (user + system) / 1000, server, postgres: treeCpuMs(serverPid) - server };
}

/**
 * CPU of this process (the SDK's worker, its workflow thread included) per replay of `history`:
 * what a worker spends to bring a run it no longer caches up to its present.
 */
async function replayCpuMs(workflowBundle: WorkflowBundle, history: temporal.api.history.v1.IHistory): Promise<number> {
  const replay = async (label: string, count: number) => {
    const copies = Array.from({ length: count }, (_, i) => ({ workflowId: `${label}-${i}`, history }));
    for await (const result of Worker.runReplayHistories({ workflowBundle, sinks: workflowOutcomeSinks }, copies)) if (result.error) throw result.error;
  };
  await replay('warm-up', 100);
  const before = process.cpuUsage();
  await replay('measured', REPLAYS);
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000 / REPLAYS;
}

/** A booking's history as the replay tests record it: held, confirmed, declined when its provider did not answer. */
async function bookingHistory(bundle: WorkflowBundle): Promise<temporal.api.history.v1.IHistory> {
  const env = await recordingEnv();
  try {
    return (await recordActorHistories(env, bundle)).find((h) => h.name === 'booking-auto-declined')!.history;
  } finally {
    await env.teardown();
  }
}

export default async function run(): Promise<BenchResult> {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed by the caller
  }
  const server = await startBenchServer();
  if (!server.pid) throw new Error('deadline-floor measures the server it starts: unset TEMPORAL_ADDRESS');
  try {
    const connection = await NativeConnection.connect(nativeConnectionOptions(server.address));
    const client = new Client({ connection });
    const taskQueue = `floor-${randomUUID()}`;
    const bareBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./workflows/wakes-at.ts', import.meta.url)),
      preloadModules: ['@temporalio/workflow'],
      logger: new DefaultLogger('ERROR'),
    });
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: bareBundle, maxCachedWorkflows: MAX_CACHED_WORKFLOWS });
    // Far enough ahead for the start of every actor (a few hundred a second here) with a minute to spare.
    const dueAt = Math.ceil((Date.now() + (DEADLINES / 50) * 1000 + MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    const deadline = (i: number) => dueAt + Math.floor((i * MINUTE_MS) / DEADLINES);
    const id = (i: number) => `floor-${taskQueue}-${i}`;
    console.log(`deadline-floor: ${DEADLINES} bare actors, due in the minute from ${new Date(dueAt).toISOString()}`);

    const figures = await worker.runUntil(async () => {
      await inTurn('started', DEADLINES, CONCURRENCY, async (i) => {
        await client.workflow.start('wakesAt', { args: [deadline(i)], taskQueue, workflowId: id(i), requestEagerStart: true });
      });
      if (Date.now() > dueAt - IDLE_SAMPLE_MS - 5_000) throw new Error('the actors took longer to start than planned for');
      await untilIdle(process.pid);
      const workerRssMb = rssMb(process.pid);
      const serverRssMb = rssMb(server.pid!);

      // Everything waiting: what the processes spend a second with nothing due, taken off the due window's CPU.
      await sleep(dueAt - Date.now() - IDLE_SAMPLE_MS - 2_000);
      const idleFrom = cpu(server.pid!);
      await sleep(IDLE_SAMPLE_MS);
      const idleTo = cpu(server.pid!);
      const idlePerSecond = (part: keyof typeof idleFrom) => ((idleTo[part] - idleFrom[part]) * 1000) / IDLE_SAMPLE_MS;

      await sleep(dueAt - Date.now());
      const began = Date.now();
      const before = cpu(server.pid!);
      const completed = async () => (await client.workflow.count(`WorkflowType = 'wakesAt' AND ExecutionStatus = 'Completed'`)).count;
      for (let done = 0; done < DEADLINES && Date.now() < dueAt + 5 * MINUTE_MS; done = await completed()) {
        console.log(`  due minute: ${done} of ${DEADLINES} woke`);
        await sleep(2_000);
      }
      const after = cpu(server.pid!);
      const seconds = (Date.now() - began) / 1000;
      const perFire = (part: keyof typeof before) => Math.max(0, after[part] - before[part] - idlePerSecond(part) * seconds) / DEADLINES;

      const lateness: number[] = [];
      await inTurn('results', DEADLINES, CONCURRENCY, async (i) => {
        lateness.push(await client.workflow.getHandle(id(i)).result());
      });
      lateness.sort((a, b) => a - b);
      return {
        deadlines: DEADLINES,
        latenessP50Ms: round(percentile(lateness, 50)),
        latenessP99Ms: round(percentile(lateness, 99)),
        latenessMaxMs: round(lateness.at(-1)!),
        workerCpuMsPerFire: round(perFire('worker')),
        serverCpuMsPerFire: round(perFire('server')),
        postgresCpuMsPerFire: round(perFire('postgres')),
        totalCpuMsPerFire: round(perFire('worker') + perFire('server') + perFire('postgres')),
        workerRssMb: round(workerRssMb),
        serverRssMb: round(serverRssMb),
        idleCpuMsPerSecond: round(idlePerSecond('worker') + idlePerSecond('server') + idlePerSecond('postgres')),
      };
    });
    const bareHistory = await client.workflow.getHandle(id(0)).fetchHistory();
    await connection.close();
    console.log(`  replaying ${REPLAYS} copies of a booking's history, and of a bare actor's`);
    const product = await productBundle();
    const replays = { bookingReplayCpuMs: round(await replayCpuMs(product, await bookingHistory(product))), bareReplayCpuMs: round(await replayCpuMs(bareBundle, bareHistory)) };
    // Two cores give 2,000 ms of CPU a second: the most deadlines a minute this floor leaves room for.
    const firesPerMinuteCpuAllows = Math.floor((2_000 / figures.totalCpuMsPerFire) * 60);
    return {
      name: 'deadline-floor',
      figures: { ...figures, firesPerMinuteCpuAllows, bookingReplayCpuMs: replays.bookingReplayCpuMs },
      baseline: { bookingReplayCpuMs: replays.bareReplayCpuMs },
      goal: { latenessP99Ms: `< 1000 (actors-idle's goal, here for bare actors: what is left of it for a booking's own work)` },
      met: figures.latenessP99Ms < 1000,
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) printResult(await run());
