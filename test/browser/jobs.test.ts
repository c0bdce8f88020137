import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from '../support/browser.ts';
import { createOrg, createUser, PASSWORD, signIn } from '../api/platform/helpers.ts';
import { startJobsHarness, startReceiver, type JobsHarness, type Receiver } from '../api/jobs/support.ts';
import { eventually } from '../support/eventually.ts';
import { testDb } from '../support/app.ts';

/**
 * An org owner creates a cron job through the form, against a receiver on 127.0.0.1: the cron
 * preview answers while they type, and the job's executions arrive on its page, on the dashboard
 * and in the list without a reload.
 * The API runs on the jobs harness (embedded Temporal, a worker with the real job activities,
 * loopback targets allowed).
 */
describe('web app: cron jobs', function () {
  this.timeout(90_000);
  let harness: JobsHarness;
  let receiver: Receiver;
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(async function () {
    this.timeout(180_000);
    [harness, receiver] = await Promise.all([startJobsHarness(), startReceiver(), ensureWebAppBuilt()]);
    api = await startApi(harness.ctx, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  afterEach(async () => {
    await context?.close();
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    await receiver?.close();
    await harness?.stop();
  });

  async function signedInPage(email: string, path: string): Promise<Page> {
    let page: Page;
    ({ context, page } = await openSignedIn(browser, api.url, email, path));
    return page;
  }

  it('creates an every-second job with a live cron preview and shows its executions arriving', async () => {
    const owner = await createUser('customer', 'olivia');
    const orgId = await createOrg(await signIn(harness.app, owner), 'Acme Ops');
    // Every second is a Pro plan's schedule (the free plan's shortest interval is a minute).
    await testDb()('organizations').where({ id: orgId }).update({ plan: 'pro' });
    receiver.respond = () => ({ status: 200, body: '{"pong":true}', headers: { 'Content-Type': 'application/json' } });

    const page = await signedInPage(owner.email, '/jobs/new');
    await page.getByLabel('Name', { exact: true }).fill('Ping receiver');
    await page.getByLabel('URL').fill(`${receiver.url}/ping`);

    // The preview says what is wrong while the expression is wrong, and what it means once it is right.
    const preview = page.getByTestId('cron-preview');
    await page.getByLabel('Cron expression').fill('61 * * * *');
    await preview.getByTestId('cron-invalid').waitFor();
    await page.getByRole('button', { name: 'Hourly' }).click();
    await preview.getByTestId('cron-description').waitFor();
    await page.getByLabel('Timezone').fill('Europe/Berlin');
    await preview.getByText('Next runs (Europe/Berlin)').waitFor();
    await page.getByLabel('Cron expression').fill('* * * * * *');
    await preview.getByTestId('cron-description').filter({ hasText: /second/i }).waitFor();
    expect(await preview.getByTestId('cron-next-runs').getByRole('listitem').count()).to.equal(5);

    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/jobs\/\d+$/);
    await page.getByRole('heading', { name: 'Ping receiver' }).waitFor();
    await page.getByTestId('job-schedule').filter({ hasText: 'Every second, Europe/Berlin' }).waitFor();

    // Executions arrive while the page stays as it is: the count grows without a reload.
    const rows = page.getByTestId('execution-row');
    await rows.first().waitFor();
    const seen = await rows.count();
    await eventually(async () => (await rows.count()) >= seen + 2, 'two more executions on the page');
    expect(receiver.received.length).to.be.greaterThan(0);
    expect(receiver.received[0].path).to.equal('/ping');

    // A row opens with the response the receiver gave.
    await rows.first().getByTestId('execution-status').filter({ hasText: 'Success · 200' }).waitFor();
    await rows.first().click();
    const details = page.getByTestId('execution-details');
    await details.getByTestId('response-body').filter({ hasText: '{"pong":true}' }).waitFor();
    // ... and the request as it was sent, its signature shown only as its timestamp.
    await details.getByTestId('sent-request').filter({ hasText: `GET ${receiver.url}/ping` }).waitFor();
    await details.getByText(/^t=\d+$/).waitFor();

    // The dashboard counts the runs and keeps counting while it is open.
    await page.goto(`${api.url}/jobs/dashboard`);
    await page.getByTestId('recent-executions').getByText('Ping receiver').first().waitFor();
    const runsToday = async () => Number(await page.getByTestId('job-stats').locator('.stat').nth(2).locator('.stat-value').textContent());
    const before = await eventually(runsToday, 'runs today');
    await eventually(async () => (await runsToday()) > before, 'runs today to grow live');

    // The list searches on the server and keeps the search in the URL.
    await page.goto(`${api.url}/jobs?q=no-such-job`);
    await page.getByText('No job matches').waitFor();
    await page.getByLabel('Search jobs').fill('receiver');
    await page.getByLabel('Search jobs').press('Enter');
    await page.waitForURL(/[?&]q=receiver/);
    const item = page.getByTestId('job-item').filter({ hasText: 'Ping receiver' });
    await item.getByTestId('job-last-run').getByTestId('execution-status').filter({ hasText: 'Success' }).waitFor();
    await item.getByRole('link', { name: 'Ping receiver' }).click();
    await page.getByRole('heading', { name: 'Ping receiver' }).waitFor();

    // Deleting asks first, then the job is gone from the list.
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete job' }).click();
    await page.waitForURL('**/jobs');
    await page.getByText('No jobs yet').waitFor();
  });

  it('shows a refused save where the person is (plan limit: focused, on screen, linked to the plan), sends a JSON body typed as JSON, and shows a run’s attempts inside it', async () => {
    const owner = await createUser('customer', 'oscar');
    const session = await signIn(harness.app, owner);
    const orgId = await createOrg(session, 'Full Plan Ltd');
    const jobs = `/api/v1/orgs/${orgId}/jobs`;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await session.agent.post(jobs).set('X-CSRF-Token', session.csrf).send({ name: `Job ${i}`, url: `${receiver.url}/other`, schedule: { kind: 'cron', expression: '0 3 1 1 *' } }).expect(201);
      ids.push(created.body.id);
    }

    const page = await signedInPage(owner.email, '/jobs/new');
    await page.getByLabel('Name', { exact: true }).fill('From the form');
    await page.getByLabel('URL').fill(`${receiver.url}/form`);
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Body', { exact: true }).fill('{"from":"ui"}');
    expect(await page.getByLabel('Content type').inputValue()).to.equal('');
    await page.getByLabel('First retry after').fill('1');
    await page.getByRole('button', { name: 'Create job' }).click();

    // The free plan's five jobs are there: the answer is in view and focused, not above a scrolled form.
    const problem = page.getByTestId('form-problem');
    await problem.getByText('Plan limit reached').waitFor();
    const seen = await problem.evaluate((box) => {
      const rect = box.getBoundingClientRect();
      return { inView: rect.top >= 0 && rect.bottom <= window.innerHeight, focused: document.activeElement === box };
    });
    expect(seen).to.deep.equal({ inView: true, focused: true });
    expect(await problem.getByRole('link', { name: 'See the plan and its usage' }).getAttribute('href')).to.equal('/jobs/billing');

    // With room again, the same form creates the job; its run sends the body as application/json.
    await session.agent.delete(`${jobs}/${ids[0]}`).set('X-CSRF-Token', session.csrf).expect(204);
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/jobs\/\d+$/);
    let answers = 0;
    receiver.respond = (req) => (req.path === '/form' && (answers += 1) === 1 ? { status: 503 } : { status: 200 });
    await page.getByRole('button', { name: 'Run now' }).click();
    // It succeeded on its retry: one run, a success, its two attempts shown inside it.
    const rows = page.getByTestId('execution-row');
    await rows.first().getByTestId('execution-status').filter({ hasText: 'Success' }).waitFor();
    await rows.first().click();
    await page.getByTestId('run-attempts').getByRole('listitem').nth(1).waitFor();
    expect(await page.getByTestId('run-attempts').getByRole('listitem').allTextContents()).to.have.length(2);
    const sent = await eventually(() => receiver.received.find((r) => r.path === '/form'), 'the run');
    expect(sent.body.toString()).to.equal('{"from":"ui"}');
    expect(sent.headers['content-type']).to.equal('application/json');
    expect(sent.headers['user-agent']).to.match(/^Pulseboard-Cron\/\d+\.\d+\.\d+$/);
  });
});
