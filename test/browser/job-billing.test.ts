import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { startApi, type RunningApi } from '../../api/server.ts';
import { lemonSqueezySecret } from '../../api/routes/billing-webhooks.ts';
import { ensureWebAppBuilt, launchChromium, signedInPages } from '../support/browser.ts';
import { createOrg, createUser, signIn } from '../api/platform/helpers.ts';
import { testContext, testDb } from '../support/app.ts';
import { createApp } from '../../api/app.ts';
import { insertJob } from '../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../domain/jobs/job-definition.ts';

const CHECKOUT = 'https://pulseboard.lemonsqueezy.com/buy/5f0c7a1e-0000-4000-8000-000000000001';

/**
 * The billing page: a free organization's owner sees the month's usage and an Upgrade button to the
 * Lemon Squeezy checkout for their organization; once the checkout's webhook has made it Pro, the
 * page shows Pro and what moving back to Free would stop.
 */
describe('web app: jobs billing', function () {
  this.timeout(90_000);
  let api: RunningApi;
  let browser: Browser;
  const pages = signedInPages(() => browser, () => api.url);

  before(async function () {
    this.timeout(180_000);
    const ctx = testContext();
    [api] = await Promise.all([startApi({ ...ctx, config: { ...ctx.config, LEMONSQUEEZY_CHECKOUT_URL: CHECKOUT } }, 0, '127.0.0.1'), ensureWebAppBuilt()]);
    browser = await launchChromium();
  });
  afterEach(() => pages.closeAll());
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  it('offers the upgrade to a free organization and, once Pro, shows what Free would stop', async () => {
    const owner = await createUser('customer', 'bea');
    const orgId = await createOrg(await signIn(createApp(testContext()), owner), 'Billing Co');
    const addJob = (key: string, expression: string) => insertJob(testDb(), orgId, syncJobSchema.parse({ key, name: `Job ${key}`, url: 'https://hooks.example.test/x', schedule: { kind: 'cron', expression } }));
    await addJob('nightly', '0 3 * * *');

    const page = await pages.open(owner.email, '/jobs/billing');
    await page.getByTestId('plan').filter({ hasText: 'free' }).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Jobs' }).getAttribute('value')).to.equal('1');
    await page.getByText('1 of 5').waitFor();
    const upgrade = page.getByRole('link', { name: 'Upgrade to Pro' });
    const href = new URL((await upgrade.getAttribute('href'))!);
    expect(`${href.origin}${href.pathname}`).to.equal(CHECKOUT);
    expect(href.searchParams.get('checkout[custom][organization_id]')).to.equal(String(orgId));

    // Lemon Squeezy's webhook after the checkout (what the button leads to) makes the organization Pro.
    const body = JSON.stringify({ meta: { event_name: 'subscription_created', custom_data: { organization_id: String(orgId) } }, data: { id: `sub-${orgId}`, attributes: { status: 'active', updated_at: new Date().toISOString() } } });
    const signature = createHmac('sha256', await lemonSqueezySecret(testContext())).update(body).digest('hex');
    await request(api.url).post('/api/v1/billing/lemonsqueezy').set('Content-Type', 'application/json').set('X-Signature', signature).send(body).expect(200);
    for (let i = 0; i < 4; i++) await addJob(`hourly-${i}`, `${i} * * * *`);
    await addJob('every-second', '* * * * * *');

    await page.reload();
    await page.getByTestId('plan').filter({ hasText: 'pro' }).waitFor();
    expect(await page.getByRole('link', { name: 'Upgrade to Pro' }).count()).to.equal(0);
    const downgrade = page.getByTestId('downgrade');
    expect(await downgrade.getByTestId('over-job-limit').getByRole('listitem').allTextContents()).to.deep.equal(['Job every-second']);
    expect(await downgrade.getByTestId('too-frequent').textContent()).to.contain('Job every-second (every 1 s)');
  });
});
