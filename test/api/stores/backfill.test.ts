import { expect } from 'chai';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { startFakeStoreServer, type FakeOrder, type FakeStoreServer } from '../../support/fake-store-server.ts';
import { connectStore } from './support.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

function orders(count: number, firstId: number): FakeOrder[] {
  const base = Date.now() - 5 * 86_400_000;
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(base + i * 60_000).toISOString();
    return { id: firstId + i, total: '10.00', currency: 'EUR', createdAt: at, updatedAt: at, quantity: 1 };
  });
}

describe('store backfill against the platform APIs', function () {
  this.timeout(60_000);
  let stack: Stack;
  let fake: FakeStoreServer;

  before(async () => {
    [stack, fake] = await Promise.all([backendStack(), startFakeStoreServer()]);
  });
  after(() => fake.close());

  it('loads Shopify history page by page through a THROTTLED answer, never faster than 2 calls a second, with live progress', async () => {
    fake.shopifyOrders = orders(120, 100_000);
    fake.throttleNext = 1;
    const callsBefore = fake.calls.length;
    const store = await connectStore(stack, 'shopify', { apiBaseUrl: fake.baseUrl, backfillDays: 30 });
    const backfill = await eventuallyPasses(async () => {
      const res = await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/backfill`).expect(200);
      expect(res.body.backfill.status).to.equal('completed');
      return res.body.backfill;
    }, { timeoutMs: 30_000 });
    expect(backfill).to.include({ pages: 3, orders: 120, days: 30 });
    const calls = fake.calls.slice(callsBefore).filter((c) => c.api === 'shopify');
    expect(calls).to.have.length(4); // one THROTTLED, then three pages
    expect(calls.every((c) => c.authorized)).to.equal(true);
    for (let i = 1; i < calls.length; i++) expect(calls[i].at - calls[i - 1].at).to.be.at.least(490);
    const [{ count }] = await testDb()('store_orders').where({ store_id: store.storeId }).count();
    expect(Number(count)).to.equal(120);
    const progress = await testDb()('realtime_events').where({ topic: `store:${store.storeId}`, event: 'backfill.progress' }).orderBy('seq');
    expect(progress.map((e) => [e.data.pages, e.data.status])).to.deep.equal([
      [0, 'running'],
      [1, 'running'],
      [2, 'running'],
      [3, 'running'],
      [3, 'completed'],
    ]);
    const [{ sum }] = await testDb()('store_metrics_daily').where({ store_id: store.storeId }).sum('orders');
    expect(Number(sum)).to.equal(120);
  });

  it('loads WooCommerce history by numbered pages (X-WP-TotalPages) and caps the days at the plan', async () => {
    fake.wooOrders = orders(60, 200_000);
    const store = await connectStore(stack, 'woocommerce', { apiBaseUrl: fake.baseUrl, backfillDays: 365 });
    expect(store.body.backfillDays).to.equal(30);
    const backfill = await eventuallyPasses(async () => {
      const res = await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/backfill`).expect(200);
      expect(res.body.backfill.status).to.equal('completed');
      return res.body.backfill;
    }, { timeoutMs: 30_000 });
    expect(backfill).to.include({ pages: 2, orders: 60, totalPages: 2 });
  });

  it('records a refused API call on the store’s health and fails the backfill', async () => {
    const store = await connectStore(stack, 'shopify', { apiBaseUrl: fake.baseUrl, backfillDays: 7, accessToken: 'shpat_wrong_token' });
    const backfill = await eventuallyPasses(async () => {
      const res = await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/backfill`).expect(200);
      expect(res.body.backfill.status).to.equal('failed');
      return res.body.backfill;
    }, { timeoutMs: 30_000 });
    expect(backfill.error).to.contain('401');
    const health = (await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).expect(200)).body.store.health;
    expect(health.lastError).to.contain('401');
    expect(health.tokenValid).to.equal(false);
    expect(JSON.stringify(health)).not.to.contain('shpat_');
  });

  /** The store's latest backfill once it has reached `status`. */
  const backfillReaching = (store: { owner: { agent: import('supertest').Agent }; orgId: number; storeId: number }, status: 'completed' | 'failed') =>
    eventuallyPasses(async () => {
      const b = (await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/backfill`).expect(200)).body.backfill;
      expect(b.status).to.equal(status);
      return b;
    }, { timeoutMs: 30_000 });

  it('tries a page the platform answers 5xx to again, with backoff, saying why meanwhile, and loads it once the platform recovers', async () => {
    fake.shopifyOrders = orders(3, 300_000);
    fake.failNext = { status: 503, count: 2 };
    const store = await connectStore(stack, 'shopify', { apiBaseUrl: fake.baseUrl, backfillDays: 7 });
    const backfill = await backfillReaching(store, 'completed');
    expect(backfill).to.include({ orders: 3, error: null });
    const progress = await testDb()('realtime_events').where({ topic: `store:${store.storeId}`, event: 'backfill.progress' }).orderBy('seq');
    expect(progress.map((e) => e.data.error).filter(Boolean)).to.deep.equal(['attempt 1 failed: Shopify answered 503; trying again', 'attempt 2 failed: Shopify answered 503; trying again']);
  });

  it('fails a backfill the platform refuses, with the reason, and Retry loads it once the platform takes the call', async () => {
    fake.shopifyOrders = orders(2, 400_000);
    fake.failNext = { status: 401, count: 1 };
    const store = await connectStore(stack, 'shopify', { apiBaseUrl: fake.baseUrl, backfillDays: 7 });
    const failed = await backfillReaching(store, 'failed');
    expect(failed.error).to.equal('Shopify answered 401');
    await store.owner.agent.post(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/backfills`).set('X-CSRF-Token', store.owner.csrf).send({ days: failed.days }).expect(202);
    const retried = await backfillReaching(store, 'completed');
    expect(retried.id).to.be.greaterThan(failed.id);
    expect(retried.orders).to.equal(2);
    expect((await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).expect(200)).body.store.health.tokenValid).to.equal(true);
  });
});
