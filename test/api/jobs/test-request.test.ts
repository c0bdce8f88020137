import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../../api/app.ts';
import { testContext, testDb } from '../../support/app.ts';
import { verifyJobSignature } from '../../../domain/signing/job-request-signature.ts';
import type { Session } from '../platform/helpers.ts';
import { closedPort, orgWithApiKey, startReceiver, type Receiver } from './support.ts';

/**
 * "Send a test request" before a job is saved: the request a job would send goes out once through
 * the guarded client, and the caller sees the status, the time, the headers and the first kilobyte
 * of the body; nothing is recorded. `strict` is the app as production runs it (no loopback).
 */
describe('job test request', function () {
  this.timeout(30_000);
  let app: ReturnType<typeof createApp>;
  let strict: ReturnType<typeof createApp>;
  let receiver: Receiver;
  let owner: Session;
  let orgId: number;
  let apiKey: string;

  before(async () => {
    app = createApp(testContext());
    strict = createApp(testContext({ config: { ...testContext().config, ALLOW_LOOPBACK_TARGETS: false } }));
    receiver = await startReceiver();
  });
  after(() => receiver?.close());
  beforeEach(async () => {
    receiver.received.length = 0;
    ({ owner, orgId, apiKey } = await orgWithApiKey(app));
  });

  const testRequest = (body: Record<string, unknown>, on = app) => request(on).post(`/api/v1/orgs/${orgId}/jobs/test_request`).set('Authorization', `Bearer ${apiKey}`).send(body);

  it('sends the signed request once and answers the status, time, headers and the first 1,024 bytes of the body', async () => {
    receiver.respond = () => ({ status: 201, body: 'x'.repeat(3000), headers: { 'X-Receiver': 'yes' } });
    const url = `${receiver.url}/hook?from=form`;
    const answer = (await testRequest({ url, method: 'POST', body: '{"from":"ui"}', headers: { 'X-Token': 'abc' } }).expect(200)).body;

    expect(answer).to.include({ outcome: 'response', statusCode: 201, bodyTruncated: true });
    expect(answer.body).to.equal('x'.repeat(1024));
    expect(answer.headers['x-receiver']).to.equal('yes');
    expect(answer.durationMs).to.be.a('number').at.least(0);

    expect(receiver.received).to.have.length(1);
    const [sent] = receiver.received;
    expect(sent).to.include({ method: 'POST', path: '/hook?from=form' });
    expect(sent.body.toString()).to.equal('{"from":"ui"}');
    expect(sent.headers).to.include({ 'content-type': 'application/json', 'x-token': 'abc', 'x-pulseboard-test': 'true' });
    expect(sent.headers['user-agent']).to.match(/^Pulseboard-Cron\//);
    // Signed with the organization's secret, as the saved job's requests will be.
    const { signingSecret } = (await owner.agent.post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('X-CSRF-Token', owner.csrf).expect(200)).body;
    const check = verifyJobSignature(sent.headers['x-pulseboard-signature'] as string, { method: 'POST', url, body: sent.body }, signingSecret, { toleranceSeconds: 300, now: new Date() });
    expect(check).to.deep.equal({ ok: true });

    // A test is not a run: nothing in the history, nothing against the month's usage.
    const executions = await testDb()('job_executions').where({ organization_id: orgId }).count<{ count: string }[]>('id as count');
    expect(Number(executions[0].count)).to.equal(0);
  });

  it('shows a short body whole, and says why when nothing answered', async () => {
    receiver.respond = () => ({ status: 404, body: 'no such hook' });
    const answered = (await testRequest({ url: `${receiver.url}/missing` }).expect(200)).body;
    expect(answered).to.include({ outcome: 'response', statusCode: 404, body: 'no such hook', bodyTruncated: false });
    expect(receiver.received[0].method).to.equal('GET');

    const nobody = (await testRequest({ url: `http://127.0.0.1:${await closedPort()}/` }).expect(200)).body;
    expect(nobody.outcome).to.equal('network_error');
    expect(nobody.error).to.match(/ECONNREFUSED/);
  });

  it('refuses what the job form would refuse, with a 422 naming the field, and sends nothing', async () => {
    const refused = (await testRequest({ url: `${receiver.url}/hook` }, strict).expect(422).expect('content-type', /application\/problem\+json/)).body;
    expect(refused.errors.map((e: { path: string }) => e.path)).to.deep.equal(['url']);
    expect(refused.errors[0].message).to.match(/not allowed/);
    const withBody = (await testRequest({ url: `${receiver.url}/hook`, method: 'GET', body: 'x' }).expect(422)).body;
    expect(withBody.errors.map((e: { path: string }) => e.path)).to.deep.equal(['body']);
    await testRequest({ url: `${receiver.url}/hook`, schedule: { kind: 'cron', expression: '* * * * *' } }).expect(422);
    expect(receiver.received).to.have.length(0);
  });

  it('answers only members of the organization', async () => {
    await request(app).post(`/api/v1/orgs/${orgId}/jobs/test_request`).send({ url: `${receiver.url}/hook` }).expect(401);
    const other = await orgWithApiKey(app);
    await request(app).post(`/api/v1/orgs/${orgId}/jobs/test_request`).set('Authorization', `Bearer ${other.apiKey}`).send({ url: `${receiver.url}/hook` }).expect(404);
    expect(receiver.received).to.have.length(0);
  });
});
