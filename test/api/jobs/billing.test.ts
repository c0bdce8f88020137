import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../../api/app.ts';
import { lemonSqueezySecret } from '../../../api/routes/billing-webhooks.ts';
import { insertJob } from '../../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../../domain/jobs/job-definition.ts';
import { usageMonth } from '../../../domain/jobs/plan-limits.ts';
import { testContext, testDb } from '../../support/app.ts';
import { orgWithApiKey } from './support.ts';

const CHECKOUT = 'https://pulseboard.lemonsqueezy.com/buy/5f0c7a1e-0000-4000-8000-000000000001';

/**
 * The billing overview behind the billing page: the plan and this month's usage against it, the
 * Lemon Squeezy checkout that carries the organization (its webhook changes the plan), and what
 * moving back to free would stop.
 */
describe('jobs billing overview', function () {
  this.timeout(30_000);
  let app: ReturnType<typeof createApp>;
  let unconfigured: ReturnType<typeof createApp>;
  let orgId: number;
  let apiKey: string;

  before(() => {
    const ctx = testContext();
    app = createApp({ ...ctx, config: { ...ctx.config, LEMONSQUEEZY_CHECKOUT_URL: CHECKOUT } });
    unconfigured = createApp(ctx);
  });
  beforeEach(async () => {
    ({ orgId, apiKey } = await orgWithApiKey(app));
  });

  const billing = (on = app) => request(on).get(`/api/v1/orgs/${orgId}/billing`).set('Authorization', `Bearer ${apiKey}`).expect(200);
  const addJob = (key: string, expression: string) => insertJob(testDb(), orgId, syncJobSchema.parse({ key, name: `Job ${key}`, url: 'https://hooks.example.test/x', schedule: { kind: 'cron', expression } }));

  it('shows a free organization its usage against the limits and a checkout that names it', async () => {
    await addJob('a', '0 3 * * *');
    await addJob('b', '0 4 * * *');
    await testDb()('job_usage').insert({ organization_id: orgId, month: usageMonth(new Date()), executions: 1234 });

    const overview = (await billing()).body;
    expect(overview).to.deep.include({ plan: 'free', usage: { jobs: { used: 2, limit: 5 }, executions: { used: 1234, limit: 5000 } }, downgrade: null });
    expect(overview.plans.pro).to.deep.equal({ jobs: null, executionsPerMonth: 250_000, minIntervalSeconds: 1, historyDays: 365 });
    const checkout = new URL(overview.checkoutUrl);
    expect(`${checkout.origin}${checkout.pathname}`).to.equal(CHECKOUT);
    expect(checkout.searchParams.get('checkout[custom][organization_id]')).to.equal(String(orgId));

    // An install without a checkout offers no upgrade rather than a broken one.
    expect((await billing(unconfigured)).body.checkoutUrl).to.equal(null);
  });

  it('after the webhook makes it pro: no checkout, and what moving to free would stop', async () => {
    const body = JSON.stringify({ meta: { event_name: 'subscription_created', custom_data: { organization_id: String(orgId) } }, data: { id: `sub-${orgId}`, attributes: { status: 'active', updated_at: new Date().toISOString() } } });
    const signature = createHmac('sha256', await lemonSqueezySecret(testContext())).update(body).digest('hex');
    await request(app).post('/api/v1/billing/lemonsqueezy').set('Content-Type', 'application/json').set('X-Signature', signature).send(body).expect(200);
    for (let i = 0; i < 6; i++) await addJob(`daily-${i}`, `0 ${i} * * *`);
    await addJob('every-second', '* * * * * *');
    await testDb()('job_usage').insert({ organization_id: orgId, month: usageMonth(new Date()), executions: 7000 });

    const overview = (await billing()).body;
    expect(overview).to.deep.include({ plan: 'pro', checkoutUrl: null, usage: { jobs: { used: 7, limit: null }, executions: { used: 7000, limit: 250_000 } } });
    expect(overview.downgrade.plan).to.equal('free');
    // The five oldest keep their place; the newest two are past free's five.
    expect(overview.downgrade.overJobLimit.map((j: { name: string }) => j.name)).to.deep.equal(['Job daily-5', 'Job every-second']);
    expect(overview.downgrade.tooFrequent).to.deep.equal([{ id: overview.downgrade.overJobLimit[1].id, name: 'Job every-second', shortestSeconds: 1 }]);
    expect(overview.downgrade.executionsOver).to.equal(2000);
  });

  it('answers only members of the organization', async () => {
    await request(app).get(`/api/v1/orgs/${orgId}/billing`).expect(401);
    const other = await orgWithApiKey(app);
    await request(app).get(`/api/v1/orgs/${orgId}/billing`).set('Authorization', `Bearer ${other.apiKey}`).expect(404);
  });
});
