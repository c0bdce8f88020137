import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningApi } from '../../api/server.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn, startTestApi } from '../support/browser.ts';
import { createOrg, createUser, signIn } from '../api/platform/helpers.ts';
import { startReceiver, type Receiver } from '../api/jobs/support.ts';
import { testContext, testDb } from '../support/app.ts';
import { createApp } from '../../api/app.ts';
import { insertJob } from '../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../domain/jobs/job-definition.ts';

/**
 * The "Failed deliveries" page: the organization's failed runs, each replayed from its row or the
 * selected ones at once; a replay's outcome shows on the row. The failed runs are recorded as a
 * failed run records them (what it sent, the receiver's 500); the replays are real requests to a
 * receiver on 127.0.0.1.
 */
describe('web app: failed deliveries', function () {
  this.timeout(90_000);
  let api: RunningApi;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(async function () {
    this.timeout(180_000);
    [api, receiver] = await Promise.all([startTestApi(), startReceiver(), ensureWebAppBuilt()]);
    browser = await launchChromium();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await api?.close();
    await receiver?.close();
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

    let page: Page;
    ({ context, page } = await openSignedIn(browser, api.url, owner.email, '/jobs/failed'));
    const rows = page.getByTestId('failed-delivery');
    await rows.first().waitFor();
    expect(await rows.count()).to.equal(3);
    await page.screenshot({ path: '/tmp/h20b-failed-before.png', fullPage: true });

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
    await page.screenshot({ path: '/tmp/h20b-failed-after.png', fullPage: true });
  });
});
