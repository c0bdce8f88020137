import { expect } from 'chai';
import request from 'supertest';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { signatureHeader } from '../../../domain/signing/request-signature.ts';
import { storeBillingWebhookSecret } from '../../../api/routes/webhooks/billing-webhook.ts';
import { FAKE_SHOPIFY_TOKEN } from '../../support/fake-store-server.ts';
import { connectStore } from './support.ts';

describe('store plans and the billing webhook', function () {
  this.timeout(30_000);
  let stack: Stack;
  before(async () => {
    stack = await backendStack();
  });

  async function billing(event: unknown, status: number, secret?: string) {
    const body = Buffer.from(JSON.stringify(event));
    const header = signatureHeader({ secret: secret ?? (await storeBillingWebhookSecret(testDb())), timestamp: Math.floor(Date.now() / 1000), body });
    return request(stack.app).post('/webhooks/billing/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(body.toString('utf8')).expect(status);
  }

  const subscription = (id: string, orgId: number, plan: string, type = 'customer.subscription.updated', status = 'active') => ({
    id,
    type,
    data: { object: { customer: 'cus_1', status, metadata: { organization_id: String(orgId) }, items: { data: [{ price: { lookup_key: plan } }] } } },
  });

  it('holds a basic organization to one store until a billing event moves it to plus, and back on cancel', async () => {
    const first = await connectStore(stack, 'shopify');
    const second = { platform: 'shopify', shopDomain: `second-${first.storeId}.myshopify.com`, accessToken: FAKE_SHOPIFY_TOKEN, webhookSigningKey: 'shpss_second_signing_key', name: 'Second', timezone: 'UTC', currency: 'EUR', backfillDays: 0 };
    const refused = await first.owner.agent.post(`/api/v1/orgs/${first.orgId}/stores`).set('X-CSRF-Token', first.owner.csrf).send(second).expect(402);
    expect(refused.body.type).to.match(/plan-limit-stores$/);

    await billing(subscription(`evt_${first.orgId}_a`, first.orgId, 'plus'), 401, 'whsec_not_ours');
    const applied = await billing(subscription(`evt_${first.orgId}_a`, first.orgId, 'plus'), 200);
    expect(applied.body).to.include({ applied: true, plan: 'plus' });
    expect((await billing(subscription(`evt_${first.orgId}_a`, first.orgId, 'plus'), 200)).body.applied).to.equal(false);

    const plan = await first.owner.agent.get(`/api/v1/orgs/${first.orgId}/store_plan`).expect(200);
    expect(plan.body).to.deep.include({ plan: 'plus', limits: { stores: 5, historyDays: 90 }, stores: 1 });
    await first.owner.agent.post(`/api/v1/orgs/${first.orgId}/stores`).set('X-CSRF-Token', first.owner.csrf).send(second).expect(201);

    await billing(subscription(`evt_${first.orgId}_b`, first.orgId, 'plus', 'customer.subscription.deleted', 'canceled'), 200);
    expect((await first.owner.agent.get(`/api/v1/orgs/${first.orgId}/store_plan`).expect(200)).body.plan).to.equal('basic');
  });

  it('deletes a store with everything under it, and exports the organization’s store data without secrets', async () => {
    const store = await connectStore(stack, 'shopify');
    const exported = await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/export`).expect(200);
    expect(exported.body.stores.map((s: { store: { id: number } }) => s.store.id)).to.deep.equal([store.storeId]);
    expect(JSON.stringify(exported.body)).not.to.contain(store.secret).and.not.to.contain(FAKE_SHOPIFY_TOKEN).and.not.to.contain('sealed');
    await store.owner.agent.delete(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).set('X-CSRF-Token', store.owner.csrf).expect(204);
    await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).expect(404);
    await request(stack.app).post(`/webhooks/shopify/${store.storeId}`).set('X-Shopify-Topic', 'orders/create').send('{}').expect(404);
  });
});
