import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb, TEST_SHOPIFY_APP } from '../../support/app.ts';
import { startFakeStoreServer, type FakeStoreServer } from '../../support/fake-store-server.ts';
import { createOrg, signedInAs, type Session } from '../platform/helpers.ts';
import { eventually, eventuallyPasses } from '../../support/eventually.ts';
import { shopifyOrder } from './support.ts';
import { storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';

const SHOP = 'fake-outdoor.myshopify.com';

/** Starts an install as `owner`, approves it in the fake Shopify, and answers the callback's path and query. */
async function approveInstall(fake: FakeStoreServer, owner: Session, orgId: number): Promise<string> {
  const start = await owner.agent.get(`/api/v1/orgs/${orgId}/stores/shopify/install`).query({ shop: SHOP, apiBaseUrl: fake.baseUrl }).expect(302);
  const authorize = new URL(start.headers.location);
  expect(authorize.origin + authorize.pathname).to.equal(`${fake.baseUrl}/admin/oauth/authorize`);
  expect(authorize.searchParams.get('client_id')).to.equal(TEST_SHOPIFY_APP.clientId);
  expect(authorize.searchParams.get('scope')).to.equal('read_orders,read_products,read_inventory');
  const approved = await fetch(authorize, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!);
  expect(back.pathname).to.equal('/api/v1/stores/shopify/callback');
  return `${back.pathname}${back.search}`;
}

describe('installing the Shopify app', function () {
  this.timeout(90_000);
  let stack: Stack;
  let fake: FakeStoreServer;

  before(async () => {
    [stack, fake] = await Promise.all([backendStack(), startFakeStoreServer({ shopifyApp: { ...TEST_SHOPIFY_APP, shop: SHOP, shopFacts: { name: 'Fake Outdoor', currencyCode: 'EUR', ianaTimezone: 'Europe/Berlin' } } })]);
  });
  after(() => fake.close());

  it('connects the shop through OAuth, registers its webhooks, takes app-signed webhooks only, and stops on app/uninstalled', async () => {
    const owner = await signedInAs(stack.app, 'customer');
    const orgId = await createOrg(owner, 'Outdoor Org');
    const callback = await approveInstall(fake, owner, orgId);

    // A callback whose query was changed after Shopify signed it is refused.
    await owner.agent.get(callback.replace(`shop=${SHOP}`, 'shop=other-shop.myshopify.com')).expect(401);
    // Another person's session cannot finish this install.
    const stranger = await signedInAs(stack.app, 'customer');
    const foreign = await stranger.agent.get(callback).expect(400);
    expect(foreign.body.reason).to.equal('bad-state');

    const done = await owner.agent.get(callback).expect(302);
    const storeId = Number(/^\/stores\/(\d+)$/.exec(done.headers.location)?.[1]);
    expect(fake.shopifyApp!.exchanges).to.have.length(1);
    // The state was used up: the same callback again is refused.
    await owner.agent.get(callback).expect(400);

    const store = (await owner.agent.get(`/api/v1/orgs/${orgId}/stores/${storeId}`).expect(200)).body.store;
    expect(store).to.include({ name: 'Fake Outdoor', domain: SHOP, currency: 'EUR', timezone: 'Europe/Berlin', connection: 'shopify_app' });
    const row = await testDb()('stores').where({ id: storeId }).first();
    expect(row.credentials_sealed).to.be.a('string').and.not.contain('shpat_');

    const registered = await eventually(() => (fake.shopifyApp!.subscriptions.length >= 6 ? fake.shopifyApp!.subscriptions : null), 'webhook subscriptions');
    expect(registered.map((s) => s.topic).sort()).to.deep.equal(['APP_UNINSTALLED', 'INVENTORY_LEVELS_UPDATE', 'ORDERS_CREATE', 'ORDERS_UPDATED', 'PRODUCTS_UPDATE', 'REFUNDS_CREATE']);
    expect(new URL(registered[0].callbackUrl).pathname).to.equal(`/webhooks/shopify/${storeId}`);
    await eventuallyPasses(async () => {
      const health = (await owner.agent.get(`/api/v1/orgs/${orgId}/stores/${storeId}`).expect(200)).body.store.health;
      expect(health.webhooks).to.include.members(['orders/create', 'app/uninstalled', 'inventory_levels/update']);
      expect(health.tokenValid).to.equal(true);
    });

    const send = (topic: string, payload: unknown, secret?: string) => {
      const { url, headers, body } = fake.shopifyApp!.delivery(topic, payload, secret);
      return request(stack.app).post(new URL(url).pathname).set(headers).send(body);
    };
    await send('orders/create', shopifyOrder(7001, { total: '42.00' })).expect(200);
    await send('orders/create', shopifyOrder(7002, { total: '99.00' }), 'some-other-key-the-merchant-pasted').expect(401);
    await eventuallyPasses(async () => {
      const dashboard = (await owner.agent.get(`/api/v1/orgs/${orgId}/stores/${storeId}/dashboard`).expect(200)).body;
      expect(dashboard.recentOrders.map((o: { name: string }) => o.name)).to.deep.equal(['#7001']);
    });

    // A compliance webhook comes to the one address in the app's configuration, naming the shop.
    const redact = { shop_id: 1, shop_domain: SHOP, customer: { id: 7001 + 5000, email: 'buyer7001@example.test' }, orders_to_redact: [7001] };
    const compliance = (secret: string) => {
      const body = JSON.stringify(redact);
      return request(stack.app)
        .post('/webhooks/shopify/compliance')
        .set({ 'content-type': 'application/json', 'x-shopify-topic': 'customers/redact', 'x-shopify-shop-domain': SHOP, 'x-shopify-webhook-id': `compliance-${secret.length}` })
        .set('x-shopify-hmac-sha256', createHmac('sha256', secret).update(body).digest('base64'))
        .send(body);
    };
    await compliance('not-the-app-secret').expect(401);
    await compliance(TEST_SHOPIFY_APP.clientSecret).expect(200);
    await eventuallyPasses(async () => expect((await testDb()('store_orders').where({ store_id: storeId, external_id: '7001' }).first()).customer_email).to.equal(null));

    await send('app/uninstalled', { id: 1, name: 'Fake Outdoor', domain: SHOP }).expect(200);
    const handle = stack.ctx.temporal!.client.workflow.getHandle(storeWorkflowId(storeId));
    await eventuallyPasses(async () => expect((await handle.describe()).status.name).to.equal('COMPLETED'));
    const after = await testDb()('stores').where({ id: storeId }).first();
    expect(after.credentials_sealed).to.equal(null);
    expect(after.uninstalled_at).to.be.an.instanceOf(Date);
  });

  it('refuses to start an install for a shop name that is not a myshopify.com domain', async () => {
    const owner = await signedInAs(stack.app, 'customer');
    const orgId = await createOrg(owner, 'Typo Org');
    const res = await owner.agent.get(`/api/v1/orgs/${orgId}/stores/shopify/install`).query({ shop: 'evil.example.com' }).expect(422);
    expect(res.headers['content-type']).to.match(/problem\+json/);
  });
});
