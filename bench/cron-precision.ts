import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openTemporal } from '../scripts/temporal.ts';
import { clusterFolder, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { createDb, ensureDatabase, withDatabase } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { insertJob } from '../db/repositories/jobs.ts';
import { syncJobSchema } from '../domain/jobs/job-definition.ts';
import { createJobActivities } from '../activities/jobs/activities.ts';
import { bundleWorkflows, FIRE_WINDOW_WORKER_OPTIONS } from '../workers/worker.ts';
import { ensureJobActors } from '../api/routes/jobs/actors.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';

const JOBS = 300;
const SECONDS = 30;
const WARM_UP_MS = 5_000;
const TASK_QUEUE = 'cron-precision';

interface Arrival {
  executionId: string | undefined;
  /** The baseline's requests say when they were due. */
  scheduledFor: number | undefined;
  at: number;
}

/** Lateness of every fire in [from, from + SECONDS s) and the fires that never arrived. */
function measure(fires: Array<{ job: string; scheduledFor: number; at: number }>, from: number): { latencies: number[]; missed: number } {
  const inWindow = fires.filter((f) => f.scheduledFor >= from && f.scheduledFor < from + SECONDS * 1000);
  const distinct = new Set(inWindow.map((f) => `${f.job}@${f.scheduledFor}`));
  return { latencies: inWindow.map((f) => f.at - f.scheduledFor).sort((a, b) => a - b), missed: JOBS * SECONDS - distinct.size };
}

const nextSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

/** The same requests from a plain setTimeout loop per job, aimed at each whole second. */
async function baseline(url: string, arrivals: Arrival[]): Promise<{ latencies: number[]; missed: number }> {
  arrivals.length = 0;
  const from = nextSecond(Date.now() + 1000);
  const until = from + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: JOBS }, (_, job) =>
      (async () => {
        for (let due = from; due < until; due += 1000) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
          void request(url, { method: 'POST', headers: { 'x-job': String(job), 'x-due': String(due) } }).then((r) => r.body.dump());
        }
      })(),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return measure(
    arrivals.map((a) => ({ job: a.executionId!, scheduledFor: a.scheduledFor!, at: a.at })),
    from,
  );
}

export default async function run(): Promise<BenchResult> {
  const arrivals: Arrival[] = [];
  const receiver = createServer((req, res) => {
    arrivals.push({ executionId: (req.headers['x-pulseboard-execution-id'] ?? req.headers['x-job']) as string, scheduledFor: req.headers['x-due'] ? Number(req.headers['x-due']) : undefined, at: Date.now() });
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tick`;

  const baseFigures = await baseline(url, arrivals);

  const dir = await clusterFolder('pulseboard-bench-cron-');
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), durable: false });
  await ensureDatabase(postgres.url(), 'bench');
  const db = createDb(withDatabase(postgres.url(), 'bench'), 20);
  // Its own process, as under `npm start`: the server gets a core, the worker the other.
  const temporal = await openTemporal({ databaseUrl: postgres.url(), dataDir: dir, namespace: 'default' });
  const connection = await Connection.connect({ address: temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await bundleWorkflows(),
    ...FIRE_WINDOW_WORKER_OPTIONS,
    activities: createJobActivities({ db, mailer: { send: async () => {} }, config: { ALLOW_LOOPBACK_TARGETS: true, ENCRYPTION_KEYS: undefined, APP_SECRET: 'bench-secret-bench-secret-bench-secret!' } }),
    maxConcurrentActivityTaskExecutions: 500,
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentLocalActivityExecutions: 500,
    maxCachedWorkflows: JOBS + 50,
  });
  const running = worker.run();
  try {
    await migrateLatest(db);
    const [org] = await db('organizations').insert({ name: 'Bench', plan: 'pro' }).returning('id');
    for (let i = 0; i < JOBS; i++) {
      await insertJob(db, org.id, syncJobSchema.parse({ key: `tick-${i}`, name: `Tick ${i}`, url, method: 'POST', schedule: { kind: 'cron', expression: '* * * * * *' }, catchUpPolicy: 'skip' }));
    }
    await ensureJobActors({ db, temporal: { client, address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE, reachable: () => true, noteFailure: () => false, onRecovered: () => () => {}, close: async () => {} } });

    const from = nextSecond(Date.now() + WARM_UP_MS);
    arrivals.length = 0;
    await new Promise((resolve) => setTimeout(resolve, from + SECONDS * 1000 + 3000 - Date.now()));
    const received = arrivals.splice(0);
    const scheduled = new Map<string, { job: string; scheduledFor: number }>(
      // X-Pulseboard-Execution-Id names the run; a scheduled run has one first attempt.
      (await db('job_executions').whereIn('run_id', received.map((a) => a.executionId!)).where({ attempt: 1 }).select('run_id', 'job_id', 'scheduled_for')).map((row: { run_id: string; job_id: number; scheduled_for: Date }) => [
        row.run_id,
        { job: String(row.job_id), scheduledFor: row.scheduled_for.getTime() },
      ]),
    );
    const actor = measure(
      received.filter((a) => scheduled.has(a.executionId!)).map((a) => ({ ...scheduled.get(a.executionId!)!, at: a.at })),
      from,
    );
    const figures = { lateness_p50_ms: percentile(actor.latencies, 50), lateness_p99_ms: percentile(actor.latencies, 99), lateness_max_ms: actor.latencies.at(-1) ?? NaN, missed_fires: actor.missed };
    return {
      name: `cron precision: ${JOBS} jobs every second for ${SECONDS} s`,
      figures,
      baseline: { lateness_p50_ms: percentile(baseFigures.latencies, 50), lateness_p99_ms: percentile(baseFigures.latencies, 99), lateness_max_ms: baseFigures.latencies.at(-1) ?? NaN, missed_fires: baseFigures.missed },
      goal: { lateness_p99_ms: '< 250', missed_fires: '= 0' },
      met: figures.lateness_p99_ms < 250 && figures.missed_fires === 0,
    };
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await nativeConnection.close();
    await connection.close();
    await temporal.stop();
    await db.destroy();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
    await new Promise((resolve) => receiver.close(resolve));
  }
}

if (isMain(import.meta.url)) printResult(await run());
