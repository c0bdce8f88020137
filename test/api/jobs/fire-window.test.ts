import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createAttemptSteps } from '../../../activities/jobs/run-attempt.ts';
import { createWindowKeeper, interruptWindow } from '../../../activities/jobs/window-keeper.ts';
import { createWindowScheduler, type WindowScheduler } from '../../../activities/jobs/window-scheduler.ts';
import type { FireWindow, FireWindowResult } from '../../../activities/jobs/types.ts';
import { jobSecretKeyring } from '../../../db/repositories/job-signing-secrets.ts';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';
import type { Db } from '../../../db/connection.ts';
import { finishAttempts, startAttempts, type ExecutionRow } from '../../../db/repositories/executions.ts';
import { insertJob, setJobEnabled, type JobRow } from '../../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../../domain/jobs/job-definition.ts';
import { testDb } from '../../support/app.ts';
import { eventually } from '../../support/eventually.ts';
import { startReceiver, type Receiver } from './support.ts';

/**
 * The window scheduler, which sends the fires of the windows its process holds (runJobWindow hands
 * them over and completes when they end: through a real worker in jobs.test.ts and test/crash/),
 * against the test database and a receiver on 127.0.0.1. A test registers a window as its activity
 * would, as a first try or a retry, and interrupts it as its actor would (NOTIFY).
 */
describe('window scheduler (windows of fires)', function () {
  this.timeout(30_000);
  let db: Db;
  let scheduler: WindowScheduler;
  let receiver: Receiver;
  let job: JobRow;

  before(async () => {
    db = testDb();
    const steps = createAttemptSteps({ db, http: createOutboundClient({ allowLoopback: true }), keyring: () => jobSecretKeyring(db, { APP_SECRET: undefined, ENCRYPTION_KEYS: undefined }) });
    scheduler = createWindowScheduler(db, steps, createWindowKeeper(db));
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.respond = () => ({ status: 200, body: 'ok' });
    const [org] = await db('organizations').insert({ name: `Window ${randomUUID()}`, plan: 'pro' }).returning('id');
    job = (await insertJob(db, org.id, syncJobSchema.parse({ key: 'tick', name: 'Tick', url: `${receiver.url}/tick`, method: 'POST', schedule: { kind: 'cron', expression: '* * * * * *' } })))!;
  });

  /**
   * `count` fires `apartMs` apart, the first `firstInMs` from now. Queued by default: on a loaded
   * machine an answer may come after the next fire's time, which "skip" would skip.
   */
  function windowOf(count: number, { firstInMs = 50, apartMs = 150, overlapPolicy = 'queue' as FireWindow['overlapPolicy'] } = {}): FireWindow {
    const first = Date.now() + firstInMs;
    return { jobId: job.id, revision: job.revision, overlapPolicy, fires: Array.from({ length: count }, (_, i) => ({ runId: randomUUID(), scheduledFor: new Date(first + i * apartMs).toISOString() })) };
  }

  /** Registers the window (`attempt` > 1: as a retry); answers what it handled once it ended. */
  const run = (window: FireWindow, attempt = 1): Promise<FireWindowResult> =>
    new Promise((resolve, reject) => {
      scheduler.register({ window, attempt, taskToken: Buffer.from(randomUUID()), end: async (result) => resolve(result) }, null).catch(reject);
    });

  /**
   * Runs the window with the first fire's answer held until 50 ms after fire `n`'s time (the
   * receiver holds this process up meanwhile); answers the result and the executions, one per fire, in order.
   */
  async function runWithFirstAnswerAfter(window: FireWindow, n: number): Promise<{ result: FireWindowResult; rows: ExecutionRow[] }> {
    receiver.respond = () => {
      if (receiver.received.length === 1) for (const until = Date.parse(window.fires[n].scheduledFor) + 50; Date.now() < until; );
      return { status: 200 };
    };
    const result = await run(window);
    const rows = await executions();
    expect(rows.map((r) => r.run_id)).to.deep.equal(window.fires.map((f) => f.runId));
    return { result, rows };
  }

  const executions = (): Promise<ExecutionRow[]> => db('job_executions').where({ job_id: job.id }).orderBy('scheduled_for');
  const executionIds = () => receiver.received.map((r) => String(r.headers['x-pulseboard-execution-id']));

  it('sends each fire once, in order and never before its time, each recorded with the request it sent', async () => {
    const window = windowOf(4);
    const result = await run(window);
    expect(result).to.deep.include({ handled: 4, changedRevision: null });
    expect(result.last?.outcome).to.equal('success');
    const rows = await executions();
    expect(rows.map((r) => [r.run_id, r.status, r.trigger])).to.deep.equal(window.fires.map((f) => [f.runId, 'success', 'schedule']));
    expect(executionIds()).to.deep.equal(rows.map((r) => r.run_id));
    receiver.received.forEach((request, i) => expect(request.at).to.be.at.least(Date.parse(window.fires[i].scheduledFor)));
    expect(rows.every((r) => r.started_at!.getTime() >= r.scheduled_for.getTime() && r.request_method === 'POST')).to.equal(true);
  });

  it('ends at the first fire the actor must decide on (a 5xx to retry), leaving the rest unsent', async () => {
    receiver.respond = () => (receiver.received.length === 2 ? { status: 503, headers: { 'retry-after': '30' } } : { status: 200 });
    const result = await run(windowOf(4));
    expect(result.handled).to.equal(2);
    expect(result.last).to.include({ outcome: 'retry', statusCode: 503, retryAfter: '30' });
    expect(receiver.received).to.have.length(2);
    expect((await executions()).map((r) => r.status)).to.deep.equal(['success', 'failed']);
  });

  for (const overlapPolicy of ['skip', 'queue'] as const) {
    it(`follows the overlap policy "${overlapPolicy}" for fires that come while the previous one is still going`, async () => {
      // The first answer comes after the next two fires' times.
      const { result, rows } = await runWithFirstAnswerAfter(windowOf(4, { apartMs: 200, overlapPolicy }), 2);
      expect(result.handled).to.equal(4);
      if (overlapPolicy === 'skip') {
        expect(rows.map((r) => r.status)).to.deep.equal(['success', 'skipped', 'skipped', 'success']);
        expect(rows[1].error).to.match(/overlap policy skips/);
        expect(receiver.received).to.have.length(2);
      } else {
        expect(rows.map((r) => r.status)).to.deep.equal(['success', 'success', 'success', 'success']);
        expect(executionIds()).to.deep.equal(rows.map((r) => r.run_id));
      }
    });
  }

  it('under "queue", skips a fire that comes while ten are already waiting, and sends the rest late, in turn', async () => {
    // The first answer comes after fire 12's time: fires 1-10 wait for it, 11 and 12 find the queue full.
    const window = windowOf(16, { apartMs: 100, overlapPolicy: 'queue' });
    // Fires 13-15 come seconds after the backlog began to go out, so a loaded machine sending it slowly does not queue them too.
    window.fires.slice(13).forEach((fire, i) => (fire.scheduledFor = new Date(Date.parse(window.fires[12].scheduledFor) + 2_000 * (i + 1)).toISOString()));
    const { result, rows } = await runWithFirstAnswerAfter(window, 12);
    expect(result.handled).to.equal(16);
    const full = [11, 12];
    expect(rows.map((r) => r.status)).to.deep.equal(rows.map((_, i) => (full.includes(i) ? 'skipped' : 'success')));
    for (const i of full) expect(rows[i].error).to.match(/queue of overlapping runs is full \(10\)/);
    expect(receiver.received).to.have.length(14);
  });

  it('stops before a fire when the job changed since the window was planned (paused), and says to what revision', async () => {
    const window = windowOf(3, { firstInMs: 400 });
    const paused = (await setJobEnabled(db, job.organization_id, job.id, false))!;
    const result = await run(window);
    expect(result).to.deep.equal({ handled: 0, last: null, changedRevision: paused.revision });
    expect(receiver.received).to.deep.equal([]);
    expect(await executions()).to.deep.equal([]);
  });

  it('interrupted by its actor, stops before the next fire begins and answers what it handled', async () => {
    const window = windowOf(4, { apartMs: 600 });
    receiver.respond = () => {
      if (receiver.received.length === 1) void interruptWindow(db, job.id);
      return { status: 200 };
    };
    // Far enough apart that the interrupt comes before the second fire begins (a begun fire is sent).
    const result = await run(window);
    expect(result.handled).to.equal(1);
    expect(receiver.received).to.have.length(1);
    expect(await executions()).to.have.length(1);
  });

  it('interrupted while it waits for its first fire, ends at once with nothing handled', async () => {
    const window = windowOf(2, { firstInMs: 60_000 });
    const ended = run(window);
    // Once registered (its row written), the interrupt finds it.
    await eventually(async () => (await db('cron_fire_windows').where({ job_id: job.id }).first()) !== undefined, 'registered');
    await interruptWindow(db, job.id);
    expect(await ended).to.deep.equal({ handled: 0, last: null, changedRevision: null });
    expect(receiver.received).to.deep.equal([]);
    await eventually(async () => (await db('cron_fire_windows').where({ job_id: job.id }).first()) === undefined, 'its row forgotten');
  });

  /** The first try of a window: its first fire sent, its second begun (and left running), as a crash or a slow worker leaves them. */
  async function firstTryOf(fires: FireWindow['fires']): Promise<ExecutionRow[]> {
    const begun = await startAttempts(
      db,
      fires.slice(0, 2).map((f) => ({ jobId: job.id, organizationId: job.organization_id, runId: f.runId, attempt: 1, trigger: 'schedule' as const, scheduledFor: new Date(f.scheduledFor) })),
    );
    const rows = begun.map((b) => b.row!);
    await finishAttempts(db, [{ id: rows[0].id, finish: { status: 'success', durationMs: 3, statusCode: 200, responseHeaders: {}, responseBody: 'ok', error: null, request: null } }]);
    return rows;
  }

  it('retried while its first try still sends: waits for that try’s answer instead of sending the fire again, and leaves the fires that came due meanwhile', async () => {
    const now = Date.now();
    const fires = [-3000, -2000, -1000, 300].map((offset) => ({ runId: randomUUID(), scheduledFor: new Date(now + offset).toISOString() }));
    const rows = await firstTryOf(fires);
    const retried = run({ jobId: job.id, revision: job.revision, overlapPolicy: 'skip', fires }, 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await finishAttempts(db, [{ id: rows[1].id, finish: { status: 'failed', durationMs: 900, statusCode: 503, responseHeaders: { 'retry-after': '7' }, responseBody: '', error: 'HTTP 503', request: null } }]);
    const result = await retried;
    expect(result.handled).to.equal(2);
    expect(result.last).to.include({ outcome: 'retry', executionId: rows[1].id, statusCode: 503, retryAfter: '7' });
    expect(receiver.received).to.have.length(0);
    expect((await executions()).map((r) => [r.run_id, r.status])).to.deep.equal([
      [fires[0].runId, 'success'],
      [fires[1].runId, 'failed'],
    ]);
  });

  it('retried after a crash: a begun fire whose try never answered within the job’s timeout is failed (the request may have arrived), never resent', async () => {
    const now = Date.now();
    const fires = [-3000, -2000, -1000, 300].map((offset) => ({ runId: randomUUID(), scheduledFor: new Date(now + offset).toISOString() }));
    const rows = await firstTryOf(fires);
    await db('job_executions').where({ id: rows[1].id }).update({ started_at: new Date(now - 10 * 60_000) });
    const result = await run({ jobId: job.id, revision: job.revision, overlapPolicy: 'skip', fires }, 2);
    expect(result.handled).to.equal(2);
    expect(result.last).to.include({ outcome: 'retry', executionId: rows[1].id });
    expect(result.last?.error).to.match(/stopped before it recorded the answer/);
    expect(receiver.received).to.have.length(0);
  });

  it('never lets two runs send the same scheduled fire: the second finds it taken and answers the first one’s outcome', async () => {
    const at = new Date(Date.now() + 100).toISOString();
    const first = await run({ jobId: job.id, revision: job.revision, overlapPolicy: 'skip', fires: [{ runId: randomUUID(), scheduledFor: at }] });
    const second = await run({ jobId: job.id, revision: job.revision, overlapPolicy: 'skip', fires: [{ runId: randomUUID(), scheduledFor: at }] });
    expect(second.last).to.include({ outcome: 'success', executionId: first.last!.executionId });
    expect(receiver.received).to.have.length(1);
    expect(await executions()).to.have.length(1);
  });
});
