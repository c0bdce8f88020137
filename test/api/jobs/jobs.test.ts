import { expect } from 'chai';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { addMember, createOrg, createUser, signIn, signedInAs, type Session } from '../platform/helpers.ts';
import { nextRuns } from '../../../domain/cron/next-runs.ts';
import { usageMonth } from '../../../domain/jobs/plan-limits.ts';
import { lemonSqueezySecret } from '../../../api/routes/billing-webhooks.ts';
import { startJobsHarness, startReceiver, type JobsHarness, type Receiver } from './support.ts';
import { eventually } from '../../support/eventually.ts';

/** The verification snippet exactly as docs/api-jobs.md gives it to receivers. */
type SignedRequest = { method: string; url: string; rawBody: Buffer };

function documentedVerifier(): (request: SignedRequest, header: string, secret: string) => boolean {
  const doc = readFileSync(new URL('../../../docs/api-jobs.md', import.meta.url), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(doc)![1].replace(/^import .*$/m, '');
  return new Function('createHash', 'createHmac', 'timingSafeEqual', `${code}\nreturn verifyPulseboardSignature;`)(createHash, createHmac, timingSafeEqual);
}

describe('jobs API', function () {
  this.timeout(60_000);
  let harness: JobsHarness;
  let receiver: Receiver;
  let owner: Session;
  let orgId: number;
  let apiKey: string;

  before(async () => {
    [harness, receiver] = await Promise.all([startJobsHarness(), startReceiver()]);
  });
  after(async () => {
    await receiver?.close();
    await harness?.stop();
  });
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.respond = () => ({ status: 200, body: 'ok' });
    owner = await signedInAs(harness.app);
    orgId = await createOrg(owner);
    apiKey = (await owner.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', owner.csrf).send({ name: 'ci' }).expect(201)).body.key;
  });
  // A test's jobs are deleted after it: a job left on "*/5 * * * *" would fire into the next test's receiver.
  afterEach(async () => {
    const ids: number[] = await testDb()('jobs').where({ organization_id: orgId }).pluck('id');
    for (const id of ids) await owner.agent.delete(`/api/v1/orgs/${orgId}/jobs/${id}`).set('X-CSRF-Token', owner.csrf).expect(204);
  });

  const api = () => request(harness.app);
  const asKey = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, key = apiKey) => api()[method](`/api/v1/orgs/${orgId}${path}`).set('Authorization', `Bearer ${key}`);
  const job = (overrides: Record<string, unknown> = {}) => ({ name: 'Ping', url: `${receiver.url}/hook`, schedule: { kind: 'cron', expression: '0 3 * * *' }, ...overrides });
  const create = async (overrides: Record<string, unknown> = {}) => (await asKey('post', '/jobs').send(job(overrides)).expect(201)).body;

  it('creates a job with defaults, finds it by id, key and in the list, and its actor answers the next runs in the job’s timezone', async () => {
    const created = await create({ key: 'nightly', timezone: 'Europe/Berlin', method: 'POST', body: '{"a":1}' });
    expect(created).to.include({ key: 'nightly', method: 'POST', enabled: true, timeoutMs: 30_000, overlapPolicy: 'skip', catchUpPolicy: 'run_once', disableAfterFailures: 5, revision: 1 });
    expect(created.retry).to.deep.equal({ attempts: 3, initialMs: 10_000, backoffCoefficient: 2, maxMs: 600_000 });
    expect((await asKey('get', `/jobs/${created.id}`).expect(200)).body.key).to.equal('nightly');
    expect((await asKey('get', '/jobs/key/nightly').expect(200)).body.id).to.equal(created.id);
    expect((await asKey('get', '/jobs').expect(200)).body).to.include({ total: 1 });
    const expected = nextRuns({ kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin' }, new Date(), 5).map((d) => d.toISOString());
    const answer = await eventually(async () => {
      const res = await asKey('get', `/jobs/${created.id}/next_runs`).expect(200);
      return res.body.nextRuns.length === 5 && res.body;
    }, 'the actor to plan');
    expect(answer.nextRuns).to.deep.equal(expected);
    expect(answer.state.phase).to.equal('scheduled');
    await asKey('get', '/jobs/key/nope').expect(404);
  });

  it('refuses bad input with 422 naming the field, and a body that is not JSON with 400', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [job({ schedule: { kind: 'cron', expression: '61 * * * *' } }), 'schedule.expression'],
      [job({ timezone: 'Mars/Olympus' }), 'timezone'],
      [job({ url: 'ftp://example.com' }), 'url'],
      [job({ method: 'GET', body: 'x' }), 'body'],
      [job({ headers: { 'X-Pulseboard-Signature': 'forged' } }), 'headers.X-Pulseboard-Signature'],
      [job({ timeoutMs: 10 }), 'timeoutMs'],
      [job({ surprise: true }), ''],
    ];
    for (const [body, path] of cases) {
      const res = await asKey('post', '/jobs').send(body).expect(422);
      expect(res.body.type).to.equal('https://pulseboard.dev/problems/validation');
      if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).to.include(path);
    }
    await asKey('post', '/jobs').set('Content-Type', 'application/json').send('{"name":').expect(400);
    await asKey('get', '/jobs/not-a-number').expect(404);
    await asKey('get', '/jobs/1/executions?status=exploded').expect(422);
    expect((await asKey('get', '/jobs').expect(200)).body.total).to.equal(0);
  });

  it('refuses a one-time job in the past with 422 (create, update, sync) unless runIfPast, which runs it once, recorded as a catch-up', async () => {
    const past = { kind: 'once', at: '2020-01-01T00:00:00Z' };
    const refused = await asKey('post', '/jobs').send(job({ schedule: past })).expect(422);
    expect(refused.body.errors).to.deep.include({ path: 'schedule.at', message: refused.body.errors[0].message });
    expect(refused.body.detail).to.match(/runIfPast/);
    await asKey('put', '/sync').send({ jobs: [{ key: 'late', ...job({ schedule: past }) }] }).expect(422);
    const later = await create({ schedule: { kind: 'once', at: new Date(Date.now() + 86_400_000).toISOString() } });
    await asKey('patch', `/jobs/${later.id}`).send({ schedule: past }).expect(422);
    expect((await asKey('get', '/jobs').expect(200)).body.total).to.equal(1);

    const late = await create({ schedule: { ...past, runIfPast: true } });
    expect(late.schedule).to.deep.equal({ kind: 'once', at: '2020-01-01T00:00:00.000Z', runIfPast: true });
    const [run] = await eventually(async () => {
      const { items } = (await asKey('get', `/jobs/${late.id}/executions`).expect(200)).body;
      return items.length && items[0].status === 'success' && items;
    }, 'the late run');
    expect(run).to.include({ trigger: 'catch_up', scheduledFor: '2020-01-01T00:00:00.000Z', attempt: 1 });
    expect(receiver.received.filter((r) => r.path === '/hook')).to.have.length(1);
    // Once: renaming it later does not run it again, nor does the schedule need runIfPast again to be kept.
    await asKey('patch', `/jobs/${late.id}`).send({ name: 'Renamed' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.filter((r) => r.path === '/hook')).to.have.length(1);
  });

  it('counts a run as a success only for the expected response, recording why not', async () => {
    receiver.respond = () => ({ status: 200, body: '{"healthy":false}' });
    const created = await create({ expectedResponse: { statusCodes: ['200'], json: { path: '$.healthy', equals: true } } });
    expect(created.expectedResponse).to.deep.equal({ statusCodes: ['200'], json: { path: '$.healthy', equals: true } });
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    const failed = await eventually(async () => (await asKey('get', `/jobs/${created.id}/executions?status=failed`).expect(200)).body.items[0], 'the failed run');
    expect(failed).to.include({ statusCode: 200, error: 'HTTP 200, but $.healthy is false, expected true' });
    // Not retried: the answer came, it was not the one expected.
    expect((await asKey('get', `/jobs/${created.id}/executions`).expect(200)).body.total).to.equal(1);

    receiver.respond = () => ({ status: 200, body: '{"healthy":true}' });
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    await eventually(async () => (await asKey('get', `/jobs/${created.id}/executions?status=success`).expect(200)).body.total === 1, 'the successful run');
    const bad = await asKey('post', '/jobs').send(job({ expectedResponse: { statusCodes: ['2x'], json: { path: 'healthy', equals: true } } })).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.include.members(['expectedResponse.statusCodes.0', 'expectedResponse.json.path']);
  });

  it('hides jobs from another organization’s user and API key (404), and lets a plain member work', async () => {
    const created = await create({ key: 'private' });
    const stranger = await signedInAs(harness.app);
    const otherOrg = await createOrg(stranger);
    const otherKey = (await stranger.agent.post(`/api/v1/orgs/${otherOrg}/api_keys`).set('X-CSRF-Token', stranger.csrf).send({ name: 'x' }).expect(201)).body.key;
    await stranger.agent.get(`/api/v1/orgs/${orgId}/jobs/${created.id}`).expect(404);
    await stranger.agent.patch(`/api/v1/orgs/${orgId}/jobs/${created.id}`).set('X-CSRF-Token', stranger.csrf).send({ name: 'mine' }).expect(404);
    await asKey('get', `/jobs/${created.id}`, otherKey).expect(404);
    await asKey('delete', `/jobs/${created.id}`, otherKey).expect(404);
    await asKey('put', '/sync', otherKey).send({ jobs: [] }).expect(404);
    // Another org's job id under the stranger's own org is not found either.
    await request(harness.app).get(`/api/v1/orgs/${otherOrg}/jobs/${created.id}`).set('Authorization', `Bearer ${otherKey}`).expect(404);
    await api().get(`/api/v1/orgs/${orgId}/jobs`).expect(401);
    const member = await createUser();
    await addMember(orgId, member.id, 'member');
    const session = await signIn(harness.app, member);
    expect((await session.agent.get(`/api/v1/orgs/${orgId}/jobs/${created.id}`).expect(200)).body.name).to.equal('Ping');
  });

  it('updates a job (revision up, actor follows), refuses a taken key with 409, clones, pauses and resumes', async () => {
    const a = await create({ key: 'a' });
    await create({ key: 'b' });
    const patched = (await asKey('patch', `/jobs/${a.id}`).send({ schedule: { kind: 'cron', expression: '*/5 * * * *' } }).expect(200)).body;
    expect(patched.revision).to.equal(2);
    const expected = nextRuns({ kind: 'cron', expression: '*/5 * * * *', timezone: 'UTC' }, new Date(), 1)[0].toISOString();
    await eventually(async () => (await asKey('get', `/jobs/${a.id}/next_runs`)).body.nextRuns[0] === expected, 'the actor to follow');
    await asKey('patch', `/jobs/${a.id}`).send({ key: 'b' }).expect(409);
    await asKey('patch', `/jobs/${a.id}`).send({ method: 'GET', body: 'not for GET' }).expect(422);

    const clone = (await asKey('post', `/jobs/${a.id}/clone`).send({ key: 'a-copy' }).expect(201)).body;
    expect(clone).to.include({ key: 'a-copy', name: 'Ping (copy)', url: a.url });
    expect(clone.schedule).to.deep.equal({ kind: 'cron', expression: '*/5 * * * *' });

    expect((await asKey('post', `/jobs/${a.id}/pause`).expect(200)).body.enabled).to.equal(false);
    await eventually(async () => (await asKey('get', `/jobs/${a.id}/next_runs`)).body.state?.phase === 'paused', 'paused');
    expect((await asKey('get', `/jobs/${a.id}/next_runs`)).body.nextRuns).to.deep.equal([]);
    expect((await asKey('post', `/jobs/${a.id}/resume`).expect(200)).body.enabled).to.equal(true);
    await eventually(async () => (await asKey('get', `/jobs/${a.id}/next_runs`)).body.state?.phase === 'scheduled', 'scheduled again');

    await asKey('delete', `/jobs/${clone.id}`).expect(204);
    await asKey('get', `/jobs/${clone.id}`).expect(404);
  });

  it('triggers a run: the receiver gets a signed request that the documented snippet verifies, and the execution is recorded', async () => {
    receiver.respond = () => ({ status: 201, body: 'created it', headers: { 'x-answer': 'yes' } });
    const created = await create({ method: 'POST', body: '{"hello":"world"}', headers: { 'X-Custom': 'yes' } });
    const { runId } = (await asKey('post', `/jobs/${created.id}/trigger`).expect(202)).body;
    const executions = await eventually(async () => {
      const res = await asKey('get', `/jobs/${created.id}/executions?runId=${runId}`).expect(200);
      return res.body.items[0]?.status === 'success' && res.body.items;
    }, 'the run to succeed');
    expect(executions).to.have.length(1);
    expect(executions[0]).to.include({ runId, attempt: 1, trigger: 'manual', statusCode: 201, error: null });
    expect(executions[0].latenessMs).to.be.a('number');
    expect(executions[0].durationMs).to.be.a('number');

    const [received] = receiver.received;
    expect(received.method).to.equal('POST');
    expect(received.body.toString()).to.equal('{"hello":"world"}');
    expect(received.headers).to.include({ 'x-custom': 'yes', 'x-pulseboard-job-id': String(created.id), 'x-pulseboard-execution-id': executions[0].runId, 'x-pulseboard-attempt': '1' });
    // A JSON body the job gave no type goes out as application/json; every request names Pulseboard and its version.
    expect(received.headers).to.include({ 'content-type': 'application/json', 'user-agent': `Pulseboard-Cron/${JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version}` });
    const { signingSecret } = (await owner.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('X-CSRF-Token', owner.csrf).expect(200)).body;
    const verify = documentedVerifier();
    const header = String(received.headers['x-pulseboard-signature']);
    const signed = { method: 'POST', url: `${receiver.url}/hook`, rawBody: received.body };
    expect(verify(signed, header, signingSecret)).to.equal(true);
    // Body, method and URL are all signed: changing any one fails the check.
    expect(verify({ ...signed, rawBody: Buffer.from('{"hello":"tampered"}') }, header, signingSecret)).to.equal(false);
    expect(verify({ ...signed, method: 'PUT' }, header, signingSecret)).to.equal(false);
    expect(verify({ ...signed, url: `${receiver.url}/other` }, header, signingSecret)).to.equal(false);

    // The history keeps the request as sent, the signature cut to its timestamp so it cannot be replayed.
    const { request: sent } = executions[0];
    expect(sent).to.deep.include({ method: 'POST', url: `${receiver.url}/hook`, body: '{"hello":"world"}' });
    expect(sent.headers).to.include({ 'X-Custom': 'yes', 'x-pulseboard-execution-id': executions[0].runId });
    expect(sent.headers['x-pulseboard-signature']).to.equal(String(received.headers['x-pulseboard-signature']).split(',')[0]).and.match(/^t=\d+$/);
    const detail = (await asKey('get', `/jobs/${created.id}/executions/${executions[0].id}`).expect(200)).body;
    expect(detail).to.include({ responseBody: 'created it' });
    expect(detail.responseHeaders).to.include({ 'x-answer': 'yes' });
    expect((await asKey('get', `/jobs/${created.id}/executions?status=failed`).expect(200)).body.total).to.equal(0);
    const events = await testDb()('realtime_events').where({ topic: `org:${orgId}:jobs` }).pluck('event');
    expect(events).to.include.members(['job.created', 'execution.started', 'execution.finished']);
  });

  it('runs an every-second job (a Pro plan schedule) fire by fire, runs it now beside its schedule when asked, and stops sending once paused', async () => {
    await testDb()('organizations').where({ id: orgId }).update({ plan: 'pro' });
    const created = await create({ schedule: { kind: 'cron', expression: '* * * * * *' } });
    await eventually(() => receiver.received.length >= 2, 'two scheduled fires');
    // The run-now interrupts the window of fires the actor handed over; the schedule goes on after it.
    const { runId } = (await asKey('post', `/jobs/${created.id}/trigger`).expect(202)).body;
    await eventually(async () => (await asKey('get', `/jobs/${created.id}/executions?runId=${runId}`).expect(200)).body.items[0]?.status === 'success', 'the manual run');
    const afterTrigger = receiver.received.length;
    await eventually(() => receiver.received.length >= afterTrigger + 2, 'scheduled fires after the manual run');

    await asKey('post', `/jobs/${created.id}/pause`).expect(200);
    await eventually(async () => (await asKey('get', `/jobs/${created.id}/next_runs`)).body.state?.phase === 'paused', 'paused');
    // A fire begun before the pause may still land; after that, nothing does.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const settled = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(receiver.received.length).to.equal(settled);

    // Each fire once: sent once, or (on a loaded machine) recorded as skipped or caught up, never both.
    const rows: Array<{ run_id: string; trigger: string; status: string; scheduled_for: Date }> = await testDb()('job_executions').where({ job_id: created.id });
    const fires = rows.filter((r) => r.trigger !== 'manual');
    expect(new Set(fires.map((r) => r.scheduled_for.getTime())).size).to.equal(fires.length);
    expect(fires.every((r) => r.scheduled_for.getMilliseconds() === 0)).to.equal(true);
    const sentIds = receiver.received.map((r) => String(r.headers['x-pulseboard-execution-id']));
    expect(sentIds.sort()).to.deep.equal(rows.filter((r) => r.status === 'success').map((r) => r.run_id).sort());
    expect(rows.filter((r) => r.trigger === 'manual')).to.have.length(1);
  });

  it('sends each fire once when the worker is too slow to heartbeat (its window is retried while the first try still goes)', async () => {
    // The worker runs in this process: holding the process longer than the window's heartbeat
    // timeout makes the server give the window to a second try while the first is still sending.
    let held = false;
    receiver.respond = () => {
      if (!held) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 8_000);
      held = true;
      return { status: 200 };
    };
    await testDb()('organizations').where({ id: orgId }).update({ plan: 'pro' }); // a schedule in seconds
    const created = await create({ schedule: { kind: 'cron', expression: '*/2 * * * * *' } });
    await eventually(() => receiver.received.length >= 4, 'fires after the held one', { timeoutMs: 40_000 });
    await asKey('post', `/jobs/${created.id}/pause`).expect(200);
    await eventually(async () => (await asKey('get', `/jobs/${created.id}/next_runs`)).body.state?.phase === 'paused', 'paused');
    // A fire begun as the pause came may still be on its way: compared once it is answered.
    await eventually(async () => !(await testDb()('job_executions').where({ job_id: created.id, status: 'running' }).first()), 'no fire in flight');

    const runIds = receiver.received.map((r) => String(r.headers['x-pulseboard-execution-id']));
    const sent: Array<{ run_id: string; scheduled_for: Date }> = await testDb()('job_executions').where({ job_id: created.id }).whereNotNull('request_method');
    expect(new Set(runIds).size, 'one request per execution id').to.equal(runIds.length);
    expect(new Set(sent.map((r) => r.scheduled_for.getTime())).size, 'one execution per fire').to.equal(sent.length);
    expect(runIds.sort()).to.deep.equal(sent.map((r) => r.run_id).sort());
  });

  it('shows each request in its execution before the receiver gets it, also for a fire sent as a pause lands', async () => {
    // What the history showed for a request at the moment it arrived (once, a fire sent as its job
    // was paused arrived while its execution still showed nothing sent).
    const recordedOnArrival: Array<string | null> = [];
    receiver.respond = async (request) => {
      const row = await testDb()('job_executions').where({ run_id: String(request.headers['x-pulseboard-execution-id']), attempt: 1 }).first();
      recordedOnArrival.push(row?.request_method ?? null);
      return { status: 200 };
    };
    await testDb()('organizations').where({ id: orgId }).update({ plan: 'pro' });
    const created = await create({ schedule: { kind: 'cron', expression: '* * * * * *' } });
    await eventually(() => receiver.received.length >= 2, 'two fires');
    await asKey('post', `/jobs/${created.id}/pause`).expect(200);
    await eventually(async () => !(await testDb()('job_executions').where({ job_id: created.id, status: 'running' }).first()), 'no fire in flight');
    expect(recordedOnArrival).to.have.length(receiver.received.length);
    expect(recordedOnArrival.every((method) => method === 'GET'), JSON.stringify(recordedOnArrival)).to.equal(true);
  });

  it('rotating the signing secret signs with the new one and, for the stated overlap, the old one too; only owners and admins in person may see it', async () => {
    const created = await create();
    const reveal = async () => (await owner.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('X-CSRF-Token', owner.csrf).expect(200)).body.signingSecret;
    const old = await reveal();
    const answer = (await owner.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/rotate`).set('X-CSRF-Token', owner.csrf).expect(200)).body;
    const rotated = answer.signingSecret;
    expect(rotated).to.match(/^whsec_/);
    const overlapHours = (Date.parse(answer.previousValidUntil) - Date.now()) / 3_600_000;
    expect(overlapHours).to.be.within(23.9, 24);
    expect((await asKey('get', '/job_settings').expect(200)).body.signingSecret.previousValidUntil).to.equal(answer.previousValidUntil);

    const verify = documentedVerifier();
    const signedWith = async () => {
      const before = receiver.received.length;
      await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
      const request = await eventually(() => receiver.received[before], 'the request');
      const header = String(request.headers['x-pulseboard-signature']);
      const signed = { method: 'GET', url: `${receiver.url}/hook`, rawBody: request.body };
      return { header, byNew: verify(signed, header, rotated), byOld: verify(signed, header, old) };
    };
    const during = await signedWith();
    expect(during).to.include({ byNew: true, byOld: true });
    expect(during.header.match(/v2=/g)).to.have.length(2);
    // Once the overlap is over, only the new secret signs.
    await testDb()('job_org_settings').where({ organization_id: orgId }).update({ signing_secret_rotated_at: new Date(Date.now() - 25 * 3_600_000) });
    expect(await signedWith()).to.include({ byNew: true, byOld: false });
    expect((await asKey('get', '/job_settings').expect(200)).body.signingSecret.previousValidUntil).to.equal(null);
    const settings = (await asKey('get', '/job_settings').expect(200)).body;
    expect(JSON.stringify(settings)).not.to.contain(rotated);
    await asKey('post', '/job_settings/signing_secret/reveal').expect(403);
    const member = await createUser();
    await addMember(orgId, member.id, 'member');
    const session = await signIn(harness.app, member);
    await session.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('X-CSRF-Token', session.csrf).expect(403);
    const stored = await testDb()('job_org_settings').where({ organization_id: orgId }).first();
    expect(stored.signing_secret_encrypted).not.to.contain(rotated.slice(6));
  });

  it('fails a 4xx without retrying, emails the owner and posts to the webhook once per streak, and disables the job at its limit', async () => {
    receiver.respond = (req) => (req.path === '/notify' ? { status: 200 } : { status: 400, body: 'bad' });
    await owner.agent.patch(`/api/v1/orgs/${orgId}/job_settings`).set('X-CSRF-Token', owner.csrf).send({ notifyWebhookUrl: `${receiver.url}/notify` }).expect(200);
    const created = await create({ disableAfterFailures: 2 });
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    await eventually(() => receiver.received.some((r) => r.path === '/notify'), 'the failure notice');
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    const disabled = await eventually(async () => {
      const res = await asKey('get', `/jobs/${created.id}`).expect(200);
      return res.body.enabled === false && res.body;
    }, 'the job to disable itself');
    expect(disabled).to.include({ consecutiveFailures: 2, disabledReason: 'Disabled after 2 failed runs in a row.' });
    const notices = await eventually(() => receiver.received.filter((r) => r.path === '/notify').length === 2 && receiver.received.filter((r) => r.path === '/notify'), 'two notices');
    expect(notices.map((n) => JSON.parse(n.body.toString()).event)).to.deep.equal(['job.failure', 'job.disabled']);
    expect(receiver.received.filter((r) => r.path === '/hook')).to.have.length(2);
    const mails = harness.sent.filter((m) => m.to === owner.user.email);
    expect(mails.map((m) => m.subject)).to.deep.equal(['Job "Ping" is failing', 'Job "Ping" was disabled after 2 failed runs in a row']);
    const failed = (await asKey('get', `/jobs/${created.id}/executions?status=failed`).expect(200)).body;
    expect(failed.total).to.equal(2);
    expect(failed.items[0]).to.include({ statusCode: 400, error: 'HTTP 400' });
  });

  it('tells of a recovery when a failing job succeeds again, to the job’s own targets over the organization’s', async () => {
    let hooks = 0;
    receiver.respond = (req) => (req.path === '/hook' ? { status: (hooks += 1) === 1 ? 400 : 200 } : { status: 200 });
    await owner.agent.patch(`/api/v1/orgs/${orgId}/job_settings`).set('X-CSRF-Token', owner.csrf).send({ notifyWebhookUrl: `${receiver.url}/org-notify` }).expect(200);
    const created = await create({ name: 'Own targets', notifications: { email: false, webhookUrl: `${receiver.url}/job-notify` } });
    expect(created.notifications).to.deep.equal({ email: false, webhookUrl: `${receiver.url}/job-notify` });
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    await eventually(() => receiver.received.some((r) => r.path === '/job-notify'), 'the failure notice');
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    const notices = await eventually(() => {
      const list = receiver.received.filter((r) => r.path === '/job-notify');
      return list.length === 2 && list;
    }, 'the recovery notice');
    expect(notices.map((n) => JSON.parse(n.body.toString()).event)).to.deep.equal(['job.failure', 'job.recovery']);
    expect(receiver.received.filter((r) => r.path === '/org-notify')).to.deep.equal([]);
    expect(harness.sent.filter((m) => m.subject.includes('Own targets'))).to.deep.equal([]);
    expect((await asKey('get', `/jobs/${created.id}`).expect(200)).body.consecutiveFailures).to.equal(0);
  });

  it('syncs declaratively: creates, updates with the changes, deletes with delete_missing, and a repeat is all unchanged', async () => {
    const a = { key: 'a', ...job({ name: 'A' }) };
    const b = { key: 'b', ...job({ name: 'B' }) };
    const first = (await asKey('put', '/sync').send({ jobs: [a, b] }).expect(200)).body.jobs;
    expect(first.map((s: { key: string; action: string }) => [s.key, s.action])).to.deep.equal([
      ['a', 'created'],
      ['b', 'created'],
    ]);
    expect(first[0].changes.name).to.deep.equal({ from: null, to: 'A' });
    const again = (await asKey('put', '/sync').send({ jobs: [a, b] }).expect(200)).body.jobs;
    expect(again).to.deep.equal([
      { key: 'a', action: 'unchanged', changes: {} },
      { key: 'b', action: 'unchanged', changes: {} },
    ]);
    const third = (await asKey('put', '/sync?delete_missing=true').send({ jobs: [{ ...a, timezone: 'Asia/Tokyo' }] }).expect(200)).body.jobs;
    expect(third[0]).to.deep.equal({ key: 'a', action: 'updated', changes: { timezone: { from: 'UTC', to: 'Asia/Tokyo' } } });
    expect(third[1]).to.include({ key: 'b', action: 'deleted' });
    const keys = (await asKey('get', '/jobs').expect(200)).body.items.map((j: { key: string }) => j.key);
    expect(keys).to.deep.equal(['a']);
    // All or nothing: one bad entry, nothing changes.
    await asKey('put', '/sync?delete_missing=true').send({ jobs: [{ ...a, name: 'changed' }, { key: 'c', ...job({ timezone: 'Nowhere/Else' }) }] }).expect(422);
    await asKey('put', '/sync').send({ jobs: [a, a] }).expect(422);
    expect((await asKey('get', '/jobs/key/a').expect(200)).body.name).to.equal('A');
  });

  it('holds the free plan to 5 jobs (402, also for sync, atomically) and to its monthly executions (429, run recorded as skipped)', async () => {
    for (let i = 0; i < 5; i++) await create({ key: `j${i}` });
    const refused = await asKey('post', '/jobs').send(job({ key: 'j5' })).expect(402);
    expect(refused.body).to.include({ type: 'https://pulseboard.dev/problems/plan-limit-jobs', plan: 'free', limit: 5 });
    await asKey('put', '/sync').send({ jobs: [{ key: 'x', ...job() }] }).expect(402);
    expect((await asKey('get', '/jobs').expect(200)).body.total).to.equal(5);

    const target = (await asKey('get', '/jobs/key/j0').expect(200)).body;
    await testDb()('job_usage').insert({ organization_id: orgId, month: usageMonth(new Date()), executions: 5000 });
    const limited = await asKey('post', `/jobs/${target.id}/trigger`).expect(429);
    expect(limited.body.type).to.equal('https://pulseboard.dev/problems/plan-limit-executions');
    expect(Number(limited.headers['retry-after'])).to.be.above(0);
    const skipped = (await asKey('get', `/jobs/${target.id}/executions?status=skipped`).expect(200)).body.items;
    expect(skipped[0]).to.include({ runId: limited.body.runId, trigger: 'manual' });
    expect(receiver.received).to.deep.equal([]);
    const usage = (await asKey('get', '/usage').expect(200)).body;
    expect(usage).to.deep.include({ plan: 'free', jobs: { used: 5, limit: 5 }, executions: { used: 5000, limit: 5000 } });
  });

  it('switches the plan on signed Lemon Squeezy events, refuses a bad signature, and ignores a stale event', async () => {
    const secret = await lemonSqueezySecret(harness.ctx);
    const event = (name: string, status: string, updatedAt: string) =>
      JSON.stringify({ meta: { event_name: name, custom_data: { organization_id: String(orgId) } }, data: { id: `sub-${orgId}`, attributes: { status, updated_at: updatedAt } } });
    const send = (body: string, signature = createHmac('sha256', secret).update(body).digest('hex')) =>
      api().post('/api/v1/billing/lemonsqueezy').set('Content-Type', 'application/json').set('X-Signature', signature).send(body);

    const created = event('subscription_created', 'active', '2026-11-01T10:00:00Z');
    await send(created, 'ab'.repeat(32)).expect(401);
    await api().post('/api/v1/billing/lemonsqueezy').set('Content-Type', 'application/json').send(created).expect(401);
    expect((await send(created).expect(200)).body).to.deep.equal({ applied: true, plan: 'pro' });
    expect((await asKey('get', '/usage').expect(200)).body).to.deep.include({ plan: 'pro', jobs: { used: 0, limit: null } });
    for (let i = 0; i < 6; i++) await create({ key: `p${i}` });

    expect((await send(event('subscription_cancelled', 'cancelled', '2026-11-20T10:00:00Z')).expect(200)).body.plan).to.equal('free');
    expect((await send(event('subscription_updated', 'active', '2026-11-10T10:00:00Z')).expect(200)).body.applied).to.equal(false);
    expect((await asKey('get', '/usage').expect(200)).body.plan).to.equal('free');
    await send('{"meta":{}}').expect(422);
  });

  it('validates a cron expression live: description and the next five runs in the timezone, or why not', async () => {
    const ok = (await api().post('/api/v1/cron/validate').set('Authorization', `Bearer ${apiKey}`).send({ expression: '0 9 * * 1-5', timezone: 'America/New_York' }).expect(200)).body;
    expect(ok.valid).to.equal(true);
    expect(ok.description).to.equal('At 09:00, Monday through Friday');
    expect(ok.nextRuns).to.deep.equal(nextRuns({ kind: 'cron', expression: '0 9 * * 1-5', timezone: 'America/New_York' }, new Date(), 5).map((d) => d.toISOString()));
    const bad = (await api().post('/api/v1/cron/validate').set('Authorization', `Bearer ${apiKey}`).send({ expression: '* * *' }).expect(200)).body;
    expect(bad.valid).to.equal(false);
    await api().post('/api/v1/cron/validate').send({ expression: '* * * * *' }).expect(401);
  });
});
