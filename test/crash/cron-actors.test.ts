import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openTemporal, type TemporalServer } from '../../scripts/temporal.ts';
import { freePort } from '../../db/embedded-postgres.ts';
import { insertJob } from '../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../domain/jobs/job-definition.ts';
import { announceDefinition } from '../../api/routes/jobs/actors.ts';
import type { TemporalGateway } from '../../api/temporal.ts';
import { createJobActivities } from '../../activities/jobs/activities.ts';
import { bundleWorkflows, FIRE_WINDOW_WORKER_OPTIONS } from '../../workers/worker.ts';
import { cronJobStateQuery, cronJobWorkflowId } from '../../workflows/cron-job/definitions.ts';
import { startWorkerProcess } from '../../bench/support/worker-process.ts';
import { startReceiver, type Receiver } from '../api/jobs/support.ts';
import { testDb } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';

/** The task queue the worker processes of bench/support/worker-process.ts poll. */
const TASK_QUEUE = 'bench';
const APP_SECRET = 'resilience-secret-resilience-secret!';

/**
 * The cron actors against crashes of what runs them: a worker process killed in the middle of a
 * burst, and the Temporal server restarted with thousands of open runs. Real processes, a real
 * receiver on 127.0.0.1; each fire must arrive, under one execution id (a request in flight when
 * its sender died may arrive again under the same id, which receivers deduplicate by).
 *
 * test/crash/ runs in a mocha process of its own (see the test script): the window keepers of
 * other files' workers live on in a shared process, which a worker process in production never
 * has, and took part in the hand-over of the killed worker's windows.
 */
describe('cron actors under crashes', function () {
  this.timeout(300_000);
  let dir: string;
  let port: number;
  let server: TemporalServer;
  let connection: Connection;
  let gateway: TemporalGateway;
  let receiver: Receiver;

  const startServer = async () => {
    server = await openTemporal({ databaseUrl: process.env.TEST_SERVER_URL!, dataDir: dir, namespace: 'default', port });
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulseboard-cron-resilience-'));
    port = await freePort();
    await startServer();
    connection = await Connection.connect({ address: server.address });
    gateway = { client: new Client({ connection }), address: server.address, namespace: 'default', taskQueue: TASK_QUEUE, reachable: () => true, noteFailure: () => false, onRecovered: () => () => {}, close: async () => {} };
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver?.close();
    await connection?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  /**
   * `count` jobs of a new organization on `expression`, each with its actor; `timeoutMs` bounds how
   * long a sender's death leaves a fire in doubt; `overlapPolicy`: what a fire due while the previous run still goes does.
   */
  async function jobsOn(expression: string, count: number, timeoutMs: number, overlapPolicy: 'skip' | 'queue' = 'skip'): Promise<number[]> {
    const db = testDb();
    const [org] = await db('organizations').insert({ name: `Resilience ${Date.now()}`, plan: 'pro' }).returning('id');
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const job = await insertJob(db, org.id, syncJobSchema.parse({ key: `j-${i}`, name: `J ${i}`, url: `${receiver.url}/fire`, schedule: { kind: 'cron', expression }, timeoutMs, overlapPolicy, retry: { attempts: 3, initialMs: 1_000 } }));
      ids.push(job!.id);
    }
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < ids.length) await announceDefinition(gateway, (await db('jobs').where({ id: ids[next++] }).first())!);
    }));
    return ids;
  }

  /** Per job, the execution ids its fire scheduled at `at` arrived under (one entry per delivery). */
  async function deliveriesAt(jobIds: number[], at: number): Promise<Map<number, string[]>> {
    const ids = receiver.received.map((r) => String(r.headers['x-pulseboard-execution-id']));
    const rows: Array<{ run_id: string; job_id: number }> = await testDb()('job_executions').whereIn('run_id', [...new Set(ids)]).where({ scheduled_for: new Date(at) }).select('run_id', 'job_id');
    const jobOf = new Map(rows.map((r) => [r.run_id, r.job_id]));
    const byJob = new Map<number, string[]>(jobIds.map((id) => [id, []]));
    for (const id of ids) if (jobOf.has(id)) byJob.get(jobOf.get(id)!)?.push(id);
    return byJob;
  }

  /** On failure it says what the database holds of the jobs concerned: how each fire ended, and when. */
  async function expectEachOnce(byJob: Map<number, string[]>): Promise<void> {
    const lost = [...byJob].filter(([, ids]) => ids.length === 0).map(([job]) => job);
    const doubled = [...byJob].filter(([, ids]) => new Set(ids).size > 1).map(([job]) => job);
    const rows = lost.length + doubled.length === 0 ? [] : await testDb()('job_executions').whereIn('job_id', [...lost, ...doubled]).orderBy(['job_id', 'id']).select('job_id', 'scheduled_for', 'started_at', 'finished_at', 'status', 'attempt', 'trigger', 'error');
    expect({ lost, doubled }, JSON.stringify(rows)).to.deep.equal({ lost: [], doubled: [] });
  }

  const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  const inFlight = async (jobIds: number[]) => Boolean(await testDb()('job_executions').whereIn('job_id', jobIds).whereIn('status', ['running', 'pending']).first());

  /** A worker process (to stop or kill) and a survivor in this process, both on the task queue, for the time `use` takes. */
  async function withTwoWorkers(use: (doomed: { pid: number; stop(): Promise<void> }) => Promise<void>): Promise<void> {
    const bundle = await bundleWorkflows();
    const doomed = await startWorkerProcess({ databaseUrl: process.env.DATABASE_URL!, temporalAddress: server.address, appSecret: APP_SECRET, env: { ALLOW_LOOPBACK_TARGETS: 'true', LOG_LEVEL: 'fatal' } });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const survivor = await Worker.create({
      connection: nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: bundle,
      ...FIRE_WINDOW_WORKER_OPTIONS,
      activities: createJobActivities({ db: testDb(), mailer: { send: async () => {} }, config: { ALLOW_LOOPBACK_TARGETS: true, ENCRYPTION_KEYS: undefined, APP_SECRET } }),
    });
    const running = survivor.run();
    try {
      await use(doomed);
    } finally {
      await doomed.stop().catch(() => undefined);
      survivor.shutdown();
      await running;
      await nativeConnection.close();
    }
  }

  /** The processes holding the jobs' windows (owner: host:pid:uuid). */
  const owners = async (jobIds: number[]) => (await testDb()('cron_fire_windows').whereIn('job_id', jobIds).distinct('owner')).map((r: { owner: string }) => r.owner);
  const heldBy = (pid: number) => (owner: string) => owner.includes(`:${pid}:`);
  const untilBothHold = (jobIds: number[], pid: number) =>
    eventually(async () => (await owners(jobIds)).some(heldBy(pid)) && (await owners(jobIds)).length >= 2, 'both workers holding windows', { timeoutMs: 60_000 });

  it('loses and doubles no fire when a worker process dies in the middle of a burst: the other takes its windows over', async () => {
    await withTwoWorkers(async (doomed) => {
      // Every 30 s. A fire the dead worker had begun is settled by the survivor some 20 s later (its lease
      // lapses in 10 s; the claimant gets the job's timeout and a 15 s grace), then retried by its actor: on
      // a slow machine that run may still go when the next fire is due, which the queue policy sends after it.
      const jobIds = await jobsOn('*/30 * * * * *', 40, 1_000, 'queue');
      await untilBothHold(jobIds, doomed.pid);

      const burst = Math.ceil((Date.now() + 2_000) / 30_000) * 30_000;
      await sleepUntil(burst + 20);
      process.kill(doomed.pid, 'SIGKILL');
      await sleepUntil(burst + 30_000 + 5_000);
      // A queued fire has no row until it begins: wait for a delivery of each, then for every answer.
      const delivered = async () => [...(await deliveriesAt(jobIds, burst + 30_000)).values()].every((ids) => ids.length > 0);
      await eventually(delivered, 'a delivery of every fire', { timeoutMs: 60_000 }).catch(() => undefined);
      await eventually(async () => !(await inFlight(jobIds)), 'every fire answered', { timeoutMs: 60_000 });

      await expectEachOnce(await deliveriesAt(jobIds, burst));
      await expectEachOnce(await deliveriesAt(jobIds, burst + 30_000));
      expect((await owners(jobIds)).some(heldBy(doomed.pid)), 'a window left with the dead process').to.equal(false);
    });
  });

  it('hands its windows back when a worker process stops: their next fires go from the other worker, on time', async () => {
    await withTwoWorkers(async (doomed) => {
      const jobIds = await jobsOn('*/5 * * * * *', 20, 1_000);
      await untilBothHold(jobIds, doomed.pid);
      const handedBack: number[] = await testDb()('cron_fire_windows').whereIn('job_id', jobIds).where('owner', 'like', `%:${doomed.pid}:%`).pluck('job_id');

      // Stopped (SIGTERM) just after a fire; without the hand-back its windows would wait for its lease to lapse (10 s).
      await sleepUntil(Math.ceil((Date.now() + 1_000) / 5_000) * 5_000 + 300);
      await doomed.stop();
      const next = Math.ceil((Date.now() + 500) / 5_000) * 5_000;
      await sleepUntil(next + 3_000);

      const byJob = await deliveriesAt(handedBack, next);
      await expectEachOnce(byJob);
      const ids = new Set([...byJob.values()].flat());
      const lateness = receiver.received.filter((r) => ids.has(String(r.headers['x-pulseboard-execution-id']))).map((r) => r.at - next);
      expect(Math.max(...lateness), 'the latest of those fires, ms after its time').to.be.below(2_000);
      expect((await owners(jobIds)).some(heldBy(doomed.pid)), 'a window left with the stopped process').to.equal(false);
    });
  });

  it('loses and doubles no fire when the Temporal server restarts with 2,000 open runs', async () => {
    const count = Number(process.env.CRON_RESTART_JOBS ?? 2_000);
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflows(),
      ...FIRE_WINDOW_WORKER_OPTIONS,
      maxCachedWorkflows: count + 100,
      activities: createJobActivities({ db: testDb(), mailer: { send: async () => {} }, config: { ALLOW_LOOPBACK_TARGETS: true, ENCRYPTION_KEYS: undefined, APP_SECRET } }),
    });
    const running = worker.run();
    try {
      const jobIds = await jobsOn('* * * * *', count, 30_000);
      await server.stop();
      await startServer();

      // The first minute whose windows are handed over after the restart.
      const burst = Math.ceil((Date.now() + 35_000) / 60_000) * 60_000;
      await sleepUntil(burst);
      const delivered = async () => [...(await deliveriesAt(jobIds, burst)).values()].every((ids) => ids.length > 0);
      await eventually(delivered, 'a delivery of every fire', { timeoutMs: 120_000 }).catch(() => undefined);
      await sleepUntil(Date.now() + 2_000);
      await expectEachOnce(await deliveriesAt(jobIds, burst));
      // Every actor still answers, its next run a minute on.
      const state = await gateway.client.workflow.getHandle(cronJobWorkflowId(jobIds.at(-1)!)).query(cronJobStateQuery);
      expect(state.phase).to.equal('scheduled');
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
    }
  });
});
