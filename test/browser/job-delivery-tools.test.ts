import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { ensureWebAppBuilt, launchChromium, signedInPages } from '../support/browser.ts';
import { createOrg, createUser, signIn } from '../api/platform/helpers.ts';
import { closedPort, startJobsHarness, startReceiver, type JobsHarness, type Receiver } from '../api/jobs/support.ts';
import { testContext, testDb } from '../support/app.ts';
import { createApp } from '../../api/app.ts';
import { insertJob } from '../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../domain/jobs/job-definition.ts';

/**
 * The delivery tools around a job, against a receiver on 127.0.0.1: the form's "Send test request"
 * before saving (status, time, headers, the first kilobyte of the body; nothing created), and the
 * "Failed deliveries" page, whose replays (per row, or the selected at once) are real requests and
 * show their outcome on the row. The failed runs are recorded as a failed run records them.
 */
describe('web app: job test request and failed deliveries', function () {
  this.timeout(90_000);
  let harness: JobsHarness;
  let api: RunningApi;
  let receiver: Receiver;
  let browser: Browser;
  const pages = signedInPages(() => browser, () => api.url);

  before(async function () {
    this.timeout(180_000);
    // Replays are sent by a worker: the API runs on the jobs harness (embedded Temporal, the real job activities).
    [harness, receiver] = await Promise.all([startJobsHarness(), startReceiver(), ensureWebAppBuilt()]);
    api = await startApi(harness.ctx, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });
  afterEach(() => pages.closeAll());
  after(async () => {
    await browser?.close();
    await api?.close();
    await receiver?.close();
    await harness?.stop();
  });

  it('sends the form’s request once and shows status, time, headers and the first kilobyte of the body', async () => {
    const owner = await createUser('customer', 'tessa');
    await createOrg(await signIn(createApp(testContext()), owner), 'Test Sends Ltd');
    receiver.respond = () => ({ status: 202, body: `{"queued":true,"pad":"${'p'.repeat(2000)}"}`, headers: { 'Content-Type': 'application/json', 'X-Request-Seen': 'once' } });

    const page = await pages.open(owner.email, '/jobs/new');
    const panel = page.getByTestId('test-request');
    // Nothing to send to yet.
    expect(await panel.getByRole('button', { name: 'Send test request' }).isDisabled()).to.equal(true);
    await page.getByLabel('URL').fill(`${receiver.url}/hook`);
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Body', { exact: true }).fill('{"from":"test"}');
    await panel.getByRole('button', { name: 'Send test request' }).click();

    const result = page.getByTestId('test-request-result');
    await result.getByTestId('test-request-status').filter({ hasText: '202' }).waitFor();
    expect(await result.getByTestId('test-request-time').textContent()).to.match(/^in \d+(\.\d)? m?s$/);
    expect(await result.getByTestId('test-request-headers').textContent()).to.contain('x-request-seen').and.contain('once');
    const body = await result.getByTestId('test-request-body').textContent();
    expect(body).to.match(/^\{"queued":true,"pad":"p+$/);
    expect(Buffer.byteLength(body!)).to.equal(1024);
    await result.getByText('The first 1,024 bytes of the body.').waitFor();

    expect(receiver.received).to.have.length(1);
    expect(receiver.received[0].body.toString()).to.equal('{"from":"test"}');
    expect(receiver.received[0].headers).to.include({ 'content-type': 'application/json', 'x-pulseboard-test': 'true' });
    // Still the unsaved form.
    expect(new URL(page.url()).pathname).to.equal('/jobs/new');

    // A target that does not answer says so where the answer would be.
    receiver.respond = () => ({ status: 200 });
    await page.getByLabel('URL').fill(`http://127.0.0.1:${await closedPort()}/unreachable`);
    await panel.getByRole('button', { name: 'Send test request' }).click();
    await result.getByTestId('test-request-status').filter({ hasText: 'No answer' }).waitFor();
  });

  it('replays one failed delivery from its row and two more at once, showing each outcome', async () => {
    const owner = await createUser('customer', 'dora');
    const orgId = await createOrg(await signIn(createApp(testContext()), owner), 'Dead Letters Inc');
    const failedRun = async (name: string, minutesAgo: number) => {
      const job = (await insertJob(testDb(), orgId, syncJobSchema.parse({ key: name.toLowerCase(), name, url: `${receiver.url}/${name}`, method: 'POST', body: `{"job":"${name}"}`, schedule: { kind: 'cron', expression: '0 3 * * *' } })))!;
      const at = new Date(Date.now() - minutesAgo * 60_000);
      await testDb()('job_executions').insert({
        job_id: job.id, organization_id: orgId, run_id: randomUUID(), attempt: 1, trigger: 'schedule', status: 'failed', scheduled_for: at, started_at: at, finished_at: at,
        status_code: 500, error: 'status 500 is not one of 2xx',
        request_method: 'POST', request_url: `${receiver.url}/${name}`, request_headers: { 'content-type': 'application/json' }, request_body: `{"job":"${name}"}`,
      });
    };
    await failedRun('Invoices', 3);
    await failedRun('Reports', 2);
    await failedRun('Webhooks', 1);
    receiver.respond = () => ({ status: 200 });

    const page = await pages.open(owner.email, '/jobs/failed');
    const rows = page.getByTestId('failed-delivery');
    await rows.first().waitFor();
    expect(await rows.count()).to.equal(3);

    const webhooks = rows.filter({ hasText: 'Webhooks' });
    await webhooks.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('Replayed "Webhooks": it succeeded.').waitFor();
    await webhooks.getByTestId('last-replay').filter({ hasText: 'Success' }).waitFor();

    await rows.filter({ hasText: 'Invoices' }).getByRole('checkbox').check();
    await rows.filter({ hasText: 'Reports' }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Replay selected (2)' }).click();
    await page.getByText('2 replayed: 2 succeeded, 0 did not.').waitFor();
    for (const name of ['Invoices', 'Reports']) await rows.filter({ hasText: name }).getByTestId('last-replay').filter({ hasText: 'Success' }).waitFor();
    expect(receiver.received.map((r) => `${r.path} ${r.body}`).sort()).to.deep.equal(['/Invoices {"job":"Invoices"}', '/Reports {"job":"Reports"}', '/Webhooks {"job":"Webhooks"}']);

    // From the job's history too: the failed execution opened, its request replayed, the replay arriving beside it.
    await rows.filter({ hasText: 'Invoices' }).getByRole('link', { name: 'Invoices' }).click();
    await page.waitForURL(/\/jobs\/\d+$/);
    const history = page.getByTestId('execution-row');
    await history.filter({ hasText: 'Failed' }).first().click();
    await page.getByRole('button', { name: 'Replay this request' }).click();
    await page.getByText('Replayed: it succeeded.').waitFor();
    await history.filter({ hasText: 'Success' }).nth(1).waitFor();
    expect(receiver.received.filter((r) => r.path === '/Invoices')).to.have.length(2);
  });
});
