import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { eventually } from '../../support/eventually.ts';
import { verifyJobSignature } from '../../../domain/signing/job-request-signature.ts';
import { usageMonth } from '../../../domain/jobs/plan-limits.ts';
import type { Session } from '../platform/helpers.ts';
import { orgWithApiKey, startJobsHarness, startReceiver, type JobsHarness, type Receiver } from './support.ts';

/**
 * Replay of failed deliveries (the dead-letter list): a run that failed is listed; replaying it
 * sends its request again, freshly signed, as a new execution linked to it; bulk replay answers per
 * execution. Real runs through the actor on the embedded Temporal, against a receiver on 127.0.0.1.
 */
describe('replaying failed deliveries', function () {
  this.timeout(90_000);
  let harness: JobsHarness;
  let receiver: Receiver;
  let owner: Session;
  let orgId: number;
  let apiKey: string;

  before(async function () {
    this.timeout(180_000);
    [harness, receiver] = await Promise.all([startJobsHarness(), startReceiver()]);
  });
  after(() => Promise.all([receiver?.close(), harness?.stop()]));
  beforeEach(async () => {
    receiver.received.length = 0;
    ({ owner, orgId, apiKey } = await orgWithApiKey(harness.app));
  });

  const api = (method: 'get' | 'post' | 'patch', path: string) => request(harness.app)[method](`/api/v1/orgs/${orgId}${path}`).set('Authorization', `Bearer ${apiKey}`);

  /** A job that sends `body` with one attempt per run, run once now and failed by the receiver: its failed execution. */
  async function failedRun(key: string, body: string) {
    receiver.respond = () => ({ status: 500, body: 'down' });
    const job = (await api('post', '/jobs').send({ key, name: key, url: `${receiver.url}/${key}?v=1`, method: 'POST', body, headers: { 'X-Custom': 'yes' }, schedule: { kind: 'cron', expression: '0 3 1 1 *' }, retry: { attempts: 1 } }).expect(201)).body;
    const { runId } = (await api('post', `/jobs/${job.id}/trigger`).expect(202)).body;
    const failed = await eventually(async () => (await api('get', `/jobs/${job.id}/executions?runId=${runId}&status=failed`).expect(200)).body.items[0], 'the failed run');
    return { job, failed };
  }

  it('lists a failed run and replays its request, signed again, as a new execution linked to it', async () => {
    const { job, failed } = await failedRun('orders', '{"order":42}');
    const listed = (await api('get', '/failed_deliveries').expect(200)).body;
    expect(listed.total).to.equal(1);
    expect(listed.items[0]).to.deep.include({ id: failed.id, jobName: 'orders', statusCode: 500, lastReplay: null });

    receiver.respond = () => ({ status: 200, body: 'ok now' });
    const replay = (await api('post', `/executions/${failed.id}/replay`).expect(201)).body;
    expect(replay).to.include({ jobId: job.id, trigger: 'replay', replayOf: failed.id, status: 'success', statusCode: 200, responseBody: 'ok now' });
    expect(replay.runId).to.not.equal(failed.runId);

    // The receiver got the same request as the first time: method, URL, body and headers, with new ids and a fresh signature.
    const [first, again] = receiver.received;
    expect(again).to.include({ method: first.method, path: first.path });
    expect(again.body.toString()).to.equal('{"order":42}');
    for (const header of ['x-custom', 'content-type', 'user-agent', 'x-pulseboard-job-id']) expect(again.headers[header], header).to.equal(first.headers[header]);
    expect(again.headers).to.include({ 'x-pulseboard-execution-id': replay.runId, 'x-pulseboard-replay-of': failed.runId });
    const { signingSecret } = (await owner.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('X-CSRF-Token', owner.csrf).expect(200)).body;
    const signed = { method: 'POST', url: `${receiver.url}/orders?v=1`, body: again.body };
    expect(verifyJobSignature(String(again.headers['x-pulseboard-signature']), signed, signingSecret, { toleranceSeconds: 300, now: new Date() })).to.deep.equal({ ok: true });

    // The history shows the replay beside the original, and the dead letter says it was replayed.
    const history = (await api('get', `/jobs/${job.id}/executions`).expect(200)).body.items;
    expect(history.map((e: { trigger: string; replayOf: number | null }) => [e.trigger, e.replayOf])).to.deep.equal([['replay', failed.id], ['manual', null]]);
    expect((await api('get', '/failed_deliveries').expect(200)).body.items[0].lastReplay).to.deep.equal({ id: replay.id, status: 'success' });
  });

  it('replays in bulk, answering each on its own, and refuses what cannot be replayed', async () => {
    const a = await failedRun('bulk-a', 'a');
    const b = await failedRun('bulk-b', 'b');
    receiver.received.length = 0;
    receiver.respond = () => ({ status: 204 });

    const { results } = (await api('post', '/executions/replay').send({ executionIds: [a.failed.id, b.failed.id, 999_999_999] }).expect(200)).body;
    expect(results.map((r: { executionId: number; replay?: { status: string; replayOf: number }; problem?: { status: number } }) => [r.executionId, r.replay?.status ?? r.problem?.status])).to.deep.equal([
      [a.failed.id, 'success'],
      [b.failed.id, 'success'],
      [999_999_999, 404],
    ]);
    expect(receiver.received.map((r) => r.body.toString()).sort()).to.deep.equal(['a', 'b']);

    // A successful execution is not a failed delivery; nor is one of another organization.
    const replayId = results[0].replay.id;
    const refused = (await api('post', `/executions/${replayId}/replay`).expect(409).expect('content-type', /application\/problem\+json/)).body;
    expect(refused.detail).to.match(/Only a failed delivery/);
    const other = await orgWithApiKey(harness.app);
    await request(harness.app).post(`/api/v1/orgs/${other.orgId}/executions/${a.failed.id}/replay`).set('Authorization', `Bearer ${other.apiKey}`).expect(404);
    await request(harness.app).post(`/api/v1/orgs/${orgId}/executions/${a.failed.id}/replay`).expect(401);
    await api('post', '/executions/replay').send({ executionIds: [] }).expect(422);
    await api('post', '/executions/not-a-number/replay').expect(404);

    // Over the month's runs, a replay is refused like any run.
    await testDb()('job_usage').where({ organization_id: orgId, month: usageMonth(new Date()) }).update({ executions: 5000 });
    const limited = (await api('post', `/executions/${a.failed.id}/replay`).expect(429)).body;
    expect(limited.type).to.match(/plan-limit-executions$/);
  });

  it('ends the job’s failure streak with a recovery notice when a replay of its current streak succeeds, not when it replays an older failure', async () => {
    let status = 500;
    receiver.respond = (req) => (req.path === '/job-notify' ? { status: 200 } : { status });
    const job = (await api('post', '/jobs').send({ key: 'streak', name: 'Streak', url: `${receiver.url}/streak`, method: 'POST', body: 'x', schedule: { kind: 'cron', expression: '0 3 1 1 *' }, retry: { attempts: 1 }, notifications: { email: false, webhookUrl: `${receiver.url}/job-notify` } }).expect(201)).body;
    const run = async (outcome: string) => {
      const { runId } = (await api('post', `/jobs/${job.id}/trigger`).expect(202)).body;
      return eventually(async () => (await api('get', `/jobs/${job.id}/executions?runId=${runId}&status=${outcome}`).expect(200)).body.items[0], `the ${outcome} run`);
    };
    const notices = () => receiver.received.filter((r) => r.path === '/job-notify').map((r) => JSON.parse(r.body.toString()).event);
    const streak = async () => (await api('get', `/jobs/${job.id}`).expect(200)).body.consecutiveFailures;

    // Failed, then succeeded, then failed twice: the streak is the last two.
    const old = await run('failed');
    status = 200;
    await run('success');
    status = 500;
    await run('failed');
    const latest = await run('failed');
    await eventually(async () => (await streak()) === 2 && notices().length === 3, 'a streak of two and its notices');
    expect(notices()).to.deep.equal(['job.failure', 'job.recovery', 'job.failure']);

    // The old failure replayed fine says nothing of the runs since: the job is still failing.
    status = 200;
    expect((await api('post', `/executions/${old.id}/replay`).expect(201)).body.status).to.equal('success');
    expect(await streak()).to.equal(2);

    // The latest failure replayed fine is the job succeeding again.
    expect((await api('post', `/executions/${latest.id}/replay`).expect(201)).body.status).to.equal('success');
    expect(await streak()).to.equal(0);
    await eventually(() => notices().length === 4, 'the recovery notice');
    expect(notices()).to.deep.equal(['job.failure', 'job.recovery', 'job.failure', 'job.recovery']);
  });

  it('sends a long body from the job while it still begins with what the history kept, and refuses once the job changed it', async () => {
    const long = `{"blob":"${'z'.repeat(3000)}"}`;
    const { job, failed } = await failedRun('long', long);
    expect(failed.request.body).to.have.length(2048);
    receiver.respond = () => ({ status: 200 });
    await api('post', `/executions/${failed.id}/replay`).expect(201);
    expect(receiver.received.at(-1)!.body.toString()).to.equal(long);

    await api('patch', `/jobs/${job.id}`).send({ body: '{"blob":"changed"}' }).expect(200);
    const refused = (await api('post', `/executions/${failed.id}/replay`).expect(409)).body;
    expect(refused.detail).to.match(/cannot be sent again as it was/);
  });
});
