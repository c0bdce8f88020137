import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { Client, Connection } from '@temporalio/client';
import { openTemporal } from '../scripts/temporal.ts';
import { clusterFolder, freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { createDb, ensureDatabase, withDatabase, type Db } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { insertJob, findJobById } from '../db/repositories/jobs.ts';
import { syncJobSchema } from '../domain/jobs/job-definition.ts';
import { announceDefinition } from '../api/routes/jobs/actors.ts';
import { jobSecretKeyring, signingSecretOf } from '../db/repositories/job-signing-secrets.ts';
import type { TemporalGateway } from '../api/temporal.ts';
import { spawnServer } from './servers/spawn.ts';
import { startWorkerProcess } from './support/worker-process.ts';
import { processesUnder, rssMb } from './support/process-cpu.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';

/**
 * 10,000 cron-job actors, all on `* * * * *`, for 3 minutes against a loopback receiver, with one
 * worker process and then with two. Scaled down on a shared machine with JOBS, MINUTES and
 * WORKERS (e.g. `JOBS=500 MINUTES=2 WORKERS=1 npx tsx bench/cron-scale.ts`).
 */
const JOBS = Number(process.env.JOBS ?? 10_000);
const MINUTES = Number(process.env.MINUTES ?? 3);
const WORKER_COUNTS = (process.env.WORKERS ?? '1,2').split(',').map(Number);
const APP_SECRET = 'bench-secret-bench-secret-bench-secret!';
/** A burst is over this long after its second 0 (the rest of the minute is "between bursts"). */
const BURST_MS = 20_000;
/** What is left of a minute to measure as quiet: from the burst's end to 5 s before the next. */
const QUIET_END_MS = 55_000;
const MINUTE = 60_000;

type Part = 'worker' | 'temporal server' | 'postgres' | 'receiver';

function partOf(commandLine: string): Part | null {
  if (commandLine.includes('workers/main.ts')) return 'worker';
  if (commandLine.includes('embedded-temporal') || commandLine.includes('temporal server')) return 'temporal server';
  if (commandLine.includes('postgres')) return 'postgres';
  if (commandLine.includes('cron-receiver')) return 'receiver';
  return null;
}

/** CPU so far of each process of the backend, by pid. */
type CpuSample = Map<number, { part: Part; cpuMs: number }>;

function cpuSample(): CpuSample {
  const sample: CpuSample = new Map();
  for (const p of processesUnder(process.pid)) {
    const part = partOf(p.commandLine);
    if (part) sample.set(p.pid, { part, cpuMs: p.cpuMs });
  }
  return sample;
}

/**
 * CPU used between two samples by part of the backend (worker processes summed). By process: a
 * PostgreSQL backend that exited meanwhile would otherwise take its whole CPU out of the sum.
 */
function minus(after: CpuSample, before: CpuSample): Record<Part, number> {
  const parts: Record<Part, number> = { worker: 0, 'temporal server': 0, postgres: 0, receiver: 0 };
  for (const [pid, { part, cpuMs }] of after) parts[part] += cpuMs - (before.get(pid)?.cpuMs ?? 0);
  return parts;
}

const backendMs = (cpu: Record<Part, number>) => cpu.worker + cpu['temporal server'] + cpu.postgres;
const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** The SDK's request counters of a worker process (TEMPORAL_SDK_METRICS), by RPC name. */
async function sdkRequests(port: number): Promise<Map<string, number>> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^temporal_request\{([^}]*)\} (\d+)/gm)) {
    const operation = /operation="(\w+)"/.exec(match[1])?.[1];
    if (operation) counts.set(operation, (counts.get(operation) ?? 0) + Number(match[2]));
  }
  return counts;
}

async function sdkTotals(ports: number[]): Promise<{ heartbeats: number; workflowTasks: number }> {
  let heartbeats = 0;
  let workflowTasks = 0;
  for (const counts of await Promise.all(ports.map(sdkRequests))) {
    heartbeats += counts.get('RecordActivityTaskHeartbeat') ?? 0;
    workflowTasks += (counts.get('RespondWorkflowTaskCompleted') ?? 0) + (counts.get('RespondWorkflowTaskFailed') ?? 0);
  }
  return { heartbeats, workflowTasks };
}

/** The baseline: JOBS requests at once from a plain undici agent to the same receiver; ms until the last answer. */
async function sendAllMs(url: string): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const started = performance.now();
  await Promise.all(Array.from({ length: JOBS }, (_, i) => request(url, { method: 'GET', headers: { 'x-job': `baseline-${i}` }, dispatcher: agent }).then((r) => r.body.dump())));
  const elapsed = performance.now() - started;
  await agent.close();
  return elapsed;
}

async function buildActors(db: Db, temporal: TemporalGateway, url: string): Promise<void> {
  const started = Date.now();
  const [org] = await db('organizations').insert({ name: 'Bench', plan: 'pro' }).returning('id');
  // An organization that has run jobs before has its signing secret: the bursts measure that case.
  await signingSecretOf(db, await jobSecretKeyring(db, { APP_SECRET, ENCRYPTION_KEYS: undefined }), org.id);
  const progress = (stage: string, done: number) => {
    if (done % 500 === 0 || done === JOBS) console.log(`  ${stage} ${done}/${JOBS} (${Math.round((Date.now() - started) / 1000)} s)`);
  };
  const ids: number[] = [];
  for (let i = 0; i < JOBS; i++) {
    const job = await insertJob(db, org.id, syncJobSchema.parse({ key: `minute-${i}`, name: `Minute ${i}`, url, schedule: { kind: 'cron', expression: '* * * * *' }, timeoutMs: 10_000 }));
    ids.push(job!.id);
    progress('jobs', i + 1);
  }
  let next = 0;
  let done = 0;
  // A few starts at a time: each is a workflow start, its first task and its first window.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ids.length) {
        const job = await findJobById(db, ids[next++]);
        await announceDefinition(temporal, job!);
        progress('actors', ++done);
      }
    }),
  );
}

/** Windows registered, by worker process (most first). */
async function windowsByWorker(db: Db): Promise<number[]> {
  const rows = await db('cron_fire_windows').select('owner').count<Array<{ owner: string; count: string }>>('* as count').groupBy('owner');
  return rows.map((r) => Number(r.count)).sort((a, b) => b - a);
}

/** Waits until every actor's first window is registered (5 minutes at most), printing progress; answers how long that took (ms). */
async function firstWindowsRegistered(db: Db): Promise<number> {
  const started = Date.now();
  for (let shown = -1; ; await sleepUntil(Date.now() + 1_000)) {
    const windows = await windowsByWorker(db);
    const total = windows.reduce((sum, n) => sum + n, 0);
    if (total !== shown) console.log(`  windows registered ${total}/${JOBS} (${windows.join(' / ') || 0} by worker, ${Math.round((Date.now() - started) / 1000)} s)`);
    shown = total;
    if (total >= JOBS || Date.now() - started > 300_000) return Date.now() - started;
  }
}

interface Burst {
  latencies: number[];
  missed: number;
  doubled: number;
  /** CPU during the burst beyond what the same processes use when nothing fires (measured after it). */
  cpu: Record<Part, number>;
  quietCoreShare: number;
  /** Windows registered by each worker process after the burst. */
  windows: number[];
}

/** The fires due at `at`: each arrival's lateness, the jobs with none, and arrivals beyond one per job. */
async function burstFires(db: Db, arrivals: Array<[string, number]>, at: number): Promise<Pick<Burst, 'latencies' | 'missed' | 'doubled'>> {
  const rows: Array<{ run_id: string; job_id: number; scheduled_for: Date }> = [];
  const ids = [...new Set(arrivals.map(([id]) => id))];
  for (let i = 0; i < ids.length; i += 5_000) rows.push(...(await db('job_executions').whereIn('run_id', ids.slice(i, i + 5_000)).select('run_id', 'job_id', 'scheduled_for')));
  const fireOf = new Map(rows.map((r) => [r.run_id, r]));
  const latencies: number[] = [];
  const jobs = new Set<number>();
  let deliveries = 0;
  for (const [id, arrivedAt] of arrivals) {
    const fire = fireOf.get(id);
    if (!fire || fire.scheduled_for.getTime() !== at) continue;
    latencies.push(arrivedAt - at);
    jobs.add(fire.job_id);
    deliveries += 1;
  }
  if (jobs.size < JOBS) await describeMissed(db, jobs, at);
  return { latencies: latencies.sort((a, b) => a - b), missed: JOBS - jobs.size, doubled: deliveries - jobs.size };
}

/** What the database holds of a few fires that did not arrive: the lead for finding why. */
async function describeMissed(db: Db, arrived: Set<number>, at: number): Promise<void> {
  const missed: Array<{ id: number; status: string | null; trigger: string | null; error: string | null; started_at: Date | null }> = await db('jobs as j')
    .leftJoin('job_executions as e', (join) => join.on('e.job_id', 'j.id').andOn('e.scheduled_for', db.raw('?', [new Date(at)])))
    .whereNotIn('j.id', [...arrived])
    .select('j.id', 'e.status', 'e.trigger', 'e.error', 'e.started_at')
    .limit(5);
  for (const row of missed) console.log(`    missed: job ${row.id}: ${row.status ? `${row.status} (${row.trigger}), started ${row.started_at?.toISOString() ?? '-'}, ${row.error ?? 'no error'}` : 'no execution recorded'}`);
}

async function runWith(workerCount: number): Promise<{ figures: Record<string, number>; sendAll: number; met: boolean }> {
  console.log(`cron-scale: ${JOBS} jobs on * * * * *, ${MINUTES} min, ${workerCount} worker process(es)`);
  const dir = await clusterFolder('pulseboard-bench-cron-scale-');
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), durable: false });
  await ensureDatabase(postgres.url(), 'bench');
  const databaseUrl = withDatabase(postgres.url(), 'bench');
  const db = createDb(databaseUrl, 10);
  await migrateLatest(db);
  // A port of its own: on a shared machine another bench's server may hold the usual one.
  const server = await openTemporal({ databaseUrl: postgres.url(), dataDir: dir, namespace: 'default', port: await freePort() });
  const receiver = await spawnServer('./cron-receiver.ts');
  const connection = await Connection.connect({ address: server.address });
  const temporal: TemporalGateway = { client: new Client({ connection }), address: server.address, namespace: 'default', taskQueue: 'bench', reachable: () => true, noteFailure: () => false, onRecovered: () => () => {}, close: async () => {} };
  const metricsPorts = await Promise.all(Array.from({ length: workerCount }, () => freePort()));
  const workers = await Promise.all(
    metricsPorts.map((port) => startWorkerProcess({ databaseUrl, temporalAddress: server.address, appSecret: APP_SECRET, env: { ALLOW_LOOPBACK_TARGETS: 'true', TEMPORAL_SDK_METRICS: `127.0.0.1:${port}` } })),
  );
  try {
    const url = `${receiver.origin}/minute`;
    const sendAll = await sendAllMs(url);
    console.log(`  baseline: ${JOBS} requests at once answered in ${Math.round(sendAll)} ms`);
    await request(`${receiver.origin}/arrivals`).then((r) => r.body.dump());
    await buildActors(db, temporal, url);

    // Each actor hands its first window over 30 s before its first fire: the bursts measured begin
    // once every window is registered, so none of them measures the build.
    const builtSdk = await sdkTotals(metricsPorts);
    const builtCpu = cpuSample();
    const registeredIn = await firstWindowsRegistered(db);
    const handoverCpu = minus(cpuSample(), builtCpu);
    const sdkStart = await sdkTotals(metricsPorts);
    const first = Math.ceil((Date.now() + 5_000) / MINUTE) * MINUTE;
    const bursts: Burst[] = [];
    const rss = new Map<string, number>();
    const sdkFrom = Date.now();
    for (let m = 0; m < MINUTES; m++) {
      const at = first + m * MINUTE;
      await sleepUntil(at - 2_000);
      const before = cpuSample();
      await sleepUntil(at + BURST_MS);
      const after = cpuSample();
      for (const p of processesUnder(process.pid)) {
        const part = partOf(p.commandLine);
        if (part) rss.set(`${part}:${p.pid}`, Math.max(rss.get(`${part}:${p.pid}`) ?? 0, rssMb(p.pid)));
      }
      const windows = await windowsByWorker(db);
      await sleepUntil(at + QUIET_END_MS);
      const quietCpu = minus(cpuSample(), after);
      const quiet = backendMs(quietCpu) / (QUIET_END_MS - BURST_MS);
      const burstCpu = minus(after, before);
      const burstMs = BURST_MS + 2_000;
      const fireCpu = Object.fromEntries(Object.entries(burstCpu).map(([part, ms]) => [part, Math.max(0, ms - (quietCpu[part as Part] * burstMs) / (QUIET_END_MS - BURST_MS))])) as Record<Part, number>;
      const arrivals: Array<[string, number]> = await request(`${receiver.origin}/arrivals`).then((r) => r.body.json() as Promise<Array<[string, number]>>);
      const fires = await burstFires(db, arrivals, at);
      bursts.push({ ...fires, cpu: fireCpu, quietCoreShare: quiet, windows });
      console.log(
        `  burst ${m + 1}: p50 ${percentile(fires.latencies, 50)} ms, p99 ${percentile(fires.latencies, 99)} ms, max ${fires.latencies.at(-1)} ms, missed ${fires.missed}, doubled ${fires.doubled}; windows by worker ${windows.join(' / ')}; between bursts ${(quiet * 100).toFixed(1)}% of a core`,
      );
    }
    const sdkEnd = await sdkTotals(metricsPorts);
    const seconds = (Date.now() - sdkFrom) / 1000;

    const figures: Record<string, number> = {};
    bursts.forEach((b, i) => {
      figures[`b${i + 1}_lateness_p50_ms`] = percentile(b.latencies, 50);
      figures[`b${i + 1}_lateness_p99_ms`] = percentile(b.latencies, 99);
      figures[`b${i + 1}_lateness_max_ms`] = b.latencies.at(-1) ?? NaN;
      figures[`b${i + 1}_missed`] = b.missed;
      figures[`b${i + 1}_doubled`] = b.doubled;
      b.windows.forEach((count, w) => (figures[`b${i + 1}_windows_worker${w + 1}`] = count));
    });
    const fired = JOBS * MINUTES;
    for (const part of ['worker', 'temporal server', 'postgres', 'receiver'] as Part[]) {
      figures[`cpu_per_fire_ms_${part.replace(' ', '_')}`] = bursts.reduce((sum, b) => sum + b.cpu[part], 0) / fired;
    }
    for (const [key, mb] of rss) {
      const [part] = key.split(':');
      const name = `rss_max_mb_${part.replace(' ', '_')}`;
      if (part !== 'postgres') figures[name] = Math.max(figures[name] ?? 0, mb);
    }
    figures.rss_mb_postgres_total = [...rss].filter(([key]) => key.startsWith('postgres:')).reduce((sum, [, mb]) => sum + mb, 0);
    figures.first_windows_registered_s = registeredIn / 1000;
    figures.handover_workflow_tasks_per_job = (sdkStart.workflowTasks - builtSdk.workflowTasks) / JOBS;
    figures.handover_cpu_ms_per_job = backendMs(handoverCpu) / JOBS;
    figures.heartbeats_per_s = (sdkEnd.heartbeats - sdkStart.heartbeats) / seconds;
    figures.workflow_tasks_per_s = (sdkEnd.workflowTasks - sdkStart.workflowTasks) / seconds;
    figures.between_bursts_core_pct = (Math.max(...bursts.map((b) => b.quietCoreShare)) * 100);
    const maxLateness = Math.max(...bursts.map((b) => b.latencies.at(-1) ?? Infinity));
    const met =
      maxLateness <= 3 * sendAll &&
      bursts.every((b) => b.missed === 0 && b.doubled === 0) &&
      (figures.rss_max_mb_worker ?? Infinity) < 1024 &&
      figures.between_bursts_core_pct < 10;
    return { figures, sendAll, met };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await connection.close();
    await receiver.stop();
    await server.stop();
    await db.destroy();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<BenchResult> {
  const figures: Record<string, number> = {};
  const baseline: Record<string, number> = {};
  let met = true;
  for (const count of WORKER_COUNTS) {
    const result = await runWith(count);
    for (const [key, value] of Object.entries(result.figures)) figures[`w${count}_${key}`] = value;
    baseline[`w${count}_send_all_ms`] = result.sendAll;
    met &&= result.met;
  }
  return {
    name: `cron scale: ${JOBS} jobs on * * * * * for ${MINUTES} min, ${WORKER_COUNTS.join(' and ')} worker process(es)`,
    figures,
    baseline,
    goal: {
      'wN_bK_lateness_max_ms': '≤ 3 × wN_send_all_ms (the baseline: every request at once from undici)',
      'wN_bK_missed, wN_bK_doubled': '= 0',
      wN_rss_max_mb_worker: '< 1024',
      wN_between_bursts_core_pct: '< 10 (worker, Temporal server and PostgreSQL together)',
    },
    met,
  };
}

if (isMain(import.meta.url)) printResult(await run());
