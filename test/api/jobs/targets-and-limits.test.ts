import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { createApp } from '../../../api/app.ts';
import type { Session } from '../platform/helpers.ts';
import { verifyJobSignature } from '../../../domain/signing/job-request-signature.ts';
import { orgWithApiKey, startJobsHarness, startReceiver, type JobsHarness, type Receiver } from './support.ts';
import { eventually } from '../../support/eventually.ts';

/**
 * What a job may be pointed at and how often it may run, judged when it is written (create,
 * PATCH, sync) with a 422 naming the field; and the failure webhook, signed as a job's requests
 * are. `strict` is the same app as production runs it (ALLOW_LOOPBACK_TARGETS off): the loopback
 * addresses it is given are refused before anything is sent.
 */
describe('job targets and schedule limits', function () {
  this.timeout(60_000);
  let harness: JobsHarness;
  let receiver: Receiver;
  let strict: ReturnType<typeof createApp>;
  let owner: Session;
  let orgId: number;
  let apiKey: string;

  before(async () => {
    [harness, receiver] = await Promise.all([startJobsHarness(), startReceiver()]);
    strict = createApp({ ...harness.ctx, config: { ...harness.ctx.config, ALLOW_LOOPBACK_TARGETS: false } });
  });
  after(() => Promise.all([receiver?.close(), harness?.stop()]));
  beforeEach(async () => {
    receiver.received.length = 0;
    ({ owner, orgId, apiKey } = await orgWithApiKey(harness.app));
  });

  type Method = 'get' | 'post' | 'patch' | 'put';
  const on = (app: ReturnType<typeof createApp>) => (method: Method, path: string) => request(app)[method](`/api/v1/orgs/${orgId}${path}`).set('Authorization', `Bearer ${apiKey}`);
  const job = (overrides: Record<string, unknown> = {}) => ({ name: 'Ping', url: `${receiver.url}/hook`, schedule: { kind: 'cron', expression: '0 3 * * *' }, ...overrides });
  const errorsOf = (body: { errors: Array<{ path: string; message: string }> }) => body.errors.map((e) => [e.path, e.message]);
  const jobCount = async () => Number((await testDb()('jobs').where({ organization_id: orgId }).count<{ count: string }[]>('id as count'))[0].count);

  it('answers 422 naming url, never a 500, to URLs that do not parse: at create, update and sync', async () => {
    const asKey = on(harness.app);
    const existing = (await asKey('post', '/jobs').send(job({ key: 'ok' })).expect(201)).body;
    for (const url of ['not a url', 'http://', 'http://a b.test/', 'http://[fe80::1%25lo]:3199/']) {
      const created = await asKey('post', '/jobs').send(job({ url })).expect(422).expect('content-type', /application\/problem\+json/);
      expect(errorsOf(created.body), url).to.deep.equal([['url', 'not a valid URL']]);
      const patched = await asKey('patch', `/jobs/${existing.id}`).send({ url }).expect(422);
      expect(errorsOf(patched.body), url).to.deep.equal([['url', 'not a valid URL']]);
      const synced = await asKey('put', '/sync').send({ jobs: [{ key: 'ok', ...job() }, { key: 'bad', ...job({ url }) }] }).expect(422);
      expect(errorsOf(synced.body), url).to.deep.equal([['jobs.1.url', 'not a valid URL']]);
    }
    expect(await jobCount()).to.equal(1);
  });

  it('refuses, with the reason, what is known without DNS: credentials, ports of other protocols, loopback literals where not allowed', async () => {
    const asKey = on(strict);
    const cases: Array<[string, string]> = [
      ['https://user:secret@api.example.test/hook', 'credentials are not allowed in the URL; send them in a header'],
      ['https://api.example.test:25/hook', 'port 25 is not allowed: it serves another protocol than HTTP'],
      ['http://127.0.0.1:3199/hook', 'this address is not allowed: 127.0.0.1: loopback address'],
      ['http://[::1]:3199/hook', 'this address is not allowed: ::1: loopback address'],
      ['http://localhost:3199/hook', 'this address is not allowed: localhost: loopback address'],
      ['http://2130706433:3199/hook', 'this address is not allowed: 127.0.0.1: loopback address'],
    ];
    for (const [url, reason] of cases) {
      const res = await asKey('post', '/jobs').send(job({ url })).expect(422);
      expect(errorsOf(res.body), url).to.deep.equal([['url', reason]]);
    }
    // Written where loopback is allowed (a test receiver), then moved on the strict app: update and sync refuse alike.
    const existing = (await on(harness.app)('post', '/jobs').send(job({ key: 'here' })).expect(201)).body;
    const patched = await asKey('patch', `/jobs/${existing.id}`).send({ url: 'http://[::1]:3199/other' }).expect(422);
    expect(errorsOf(patched.body)).to.deep.equal([['url', 'this address is not allowed: ::1: loopback address']]);
    const synced = await asKey('put', '/sync').send({ jobs: [{ key: 'new', ...job({ url: 'http://127.0.0.1:3199/x' }) }] }).expect(422);
    expect(errorsOf(synced.body)).to.deep.equal([['jobs.0.url', 'this address is not allowed: 127.0.0.1: loopback address']]);
    // What is not changed is not judged again: renaming or pausing that job still works.
    await asKey('patch', `/jobs/${existing.id}`).send({ name: 'Renamed', enabled: false }).expect(200);
    expect(await jobCount()).to.equal(1);

    const webhook = await owner.agent.patch(`/api/v1/orgs/${orgId}/job_settings`).set('X-CSRF-Token', owner.csrf).send({ notifyWebhookUrl: 'ftp://hooks.example.test/x' }).expect(422);
    expect(errorsOf(webhook.body)).to.deep.equal([['notifyWebhookUrl', 'scheme ftp: is not allowed, only http and https']]);
  });

  it('holds the free plan to one run a minute: an every-second schedule is a 422 naming the limit at create, update and sync; pro may', async () => {
    const asKey = on(harness.app);
    const everySecond = { kind: 'cron', expression: '* * * * * *' };
    const created = await asKey('post', '/jobs').send(job({ schedule: everySecond })).expect(422);
    expect(created.body).to.deep.include({ type: 'https://pulseboard.dev/problems/plan-limit-interval', plan: 'free', limit: 'minIntervalSeconds', minIntervalSeconds: 60 });
    expect(created.body.detail).to.contain('at most once every 60 seconds');
    expect(errorsOf(created.body)).to.deep.equal([['schedule', 'fires 1 s apart; the free plan allows one run every 60 s at most']]);
    await asKey('post', '/jobs').send(job({ schedule: { kind: 'cron', expression: '*/30 * * * * *' } })).expect(422);
    // Seconds given, but once a minute: allowed.
    const minutely = (await asKey('post', '/jobs').send(job({ key: 'minutely', schedule: { kind: 'cron', expression: '15 * * * * *' }, enabled: false })).expect(201)).body;
    const patched = await asKey('patch', `/jobs/${minutely.id}`).send({ schedule: { kind: 'cron', expression: '0,30 * * * * *' } }).expect(422);
    expect(errorsOf(patched.body)).to.deep.equal([['schedule', 'fires 30 s apart; the free plan allows one run every 60 s at most']]);
    const synced = await asKey('put', '/sync').send({ jobs: [{ key: 'minutely', ...job({ schedule: { kind: 'cron', expression: '15 * * * * *' }, enabled: false }) }, { key: 'fast', ...job({ schedule: everySecond }) }] }).expect(422);
    expect(synced.body.type).to.equal('https://pulseboard.dev/problems/plan-limit-interval');
    expect(errorsOf(synced.body).map(([path]) => path)).to.deep.equal(['jobs.1.schedule']);
    expect(await jobCount()).to.equal(1);

    await testDb()('organizations').where({ id: orgId }).update({ plan: 'pro' });
    const fast = (await asKey('post', '/jobs').send(job({ key: 'fast', schedule: everySecond, enabled: false })).expect(201)).body;
    expect(fast.schedule).to.deep.equal(everySecond);
  });

  it('signs the failure webhook as job requests are signed, with the Pulseboard-Cron User-Agent, and the receiver verifies it', async () => {
    const asKey = on(harness.app);
    receiver.respond = (req) => (req.path === '/notify' ? { status: 200 } : { status: 400, body: 'bad' });
    await owner.agent.patch(`/api/v1/orgs/${orgId}/job_settings`).set('X-CSRF-Token', owner.csrf).send({ notifyWebhookUrl: `${receiver.url}/notify` }).expect(200);
    const created = (await asKey('post', '/jobs').send(job({ method: 'POST', body: '{"from":"test"}' })).expect(201)).body;
    await asKey('post', `/jobs/${created.id}/trigger`).expect(202);
    const notice = await eventually(() => receiver.received.find((r) => r.path === '/notify'), 'the failure notice');
    const jobRequest = receiver.received.find((r) => r.path === '/hook' && r.headers['x-pulseboard-job-id'] === String(created.id))!;

    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const { signingSecret } = (await owner.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('X-CSRF-Token', owner.csrf).expect(200)).body;
    // Over the method and the URL the request was sent to, as a receiver checks it (docs/api-jobs.md).
    const signed = (req: typeof notice, body = req.body) => ({ method: req.method, url: `${receiver.url}${req.path}`, body });
    const check = (req: typeof notice, body = req.body) =>
      verifyJobSignature(String(req.headers['x-pulseboard-signature']), signed(req, body), signingSecret, { toleranceSeconds: 300, now: new Date() });
    expect(check(notice)).to.deep.equal({ ok: true });
    expect(check(jobRequest)).to.deep.equal({ ok: true });
    expect(notice.headers['user-agent']).to.equal(`Pulseboard-Cron/${version}`);
    expect(jobRequest.headers['user-agent']).to.equal(`Pulseboard-Cron/${version}`);
    expect(notice.headers['x-pulseboard-job-id']).to.equal(String(created.id));
    expect(JSON.parse(notice.body.toString()).event).to.equal('job.failure');
    // A body changed on the way no longer verifies.
    expect(check(notice, Buffer.from(`${notice.body} `))).to.deep.equal({ ok: false, reason: 'mismatch' });
  });
});
