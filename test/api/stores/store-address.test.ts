import { expect } from 'chai';
import { backendStack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { createApp } from '../../../api/app.ts';
import { createOrg, signedInAs, type Session } from '../platform/helpers.ts';
import { FAKE_SHOPIFY_TOKEN, FAKE_WOO_KEY, FAKE_WOO_SECRET, startFakeStoreServer, type FakeStoreServer } from '../../support/fake-store-server.ts';
import { fetchOrdersPage, StoreApiError } from '../../../activities/stores/store-api.ts';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';

/**
 * A store's API is called with its access token, so where it answers is not the customer's to
 * choose: it comes from the shop domain or the site URL, and every call goes through the guarded
 * client. The app here runs as in production (ALLOW_LOOPBACK_TARGETS off); every address it is
 * given is refused before any lookup or connection.
 */
describe("a store's API address", function () {
  this.timeout(30_000);
  let app: ReturnType<typeof createApp>;
  let owner: Session;
  let orgId: number;
  let fake: FakeStoreServer;

  before(async () => {
    const stack = await backendStack();
    app = createApp({ ...stack.ctx, config: { ...stack.ctx.config, ALLOW_LOOPBACK_TARGETS: false } });
    owner = await signedInAs(app, 'customer');
    orgId = await createOrg(owner, 'Strict Shop Org');
    fake = await startFakeStoreServer();
  });
  after(() => fake.close());

  const shopify = { platform: 'shopify', shopDomain: 'strict-shop.myshopify.com', accessToken: FAKE_SHOPIFY_TOKEN, webhookSigningKey: 'key-shown-in-the-shopify-admin', name: 'Strict', timezone: 'UTC', currency: 'EUR', backfillDays: 0 };
  const woo = { platform: 'woocommerce', consumerKey: FAKE_WOO_KEY, consumerSecret: FAKE_WOO_SECRET, name: 'Strict Woo', timezone: 'UTC', currency: 'EUR', backfillDays: 0 };
  const connect = (body: Record<string, unknown>) => owner.agent.post(`/api/v1/orgs/${orgId}/stores`).set('X-CSRF-Token', owner.csrf).send(body);
  const storesOfOrg = async () => Number((await testDb()('stores').where({ organization_id: orgId }).count<{ count: string }[]>('id as count'))[0].count);

  it('refuses an apiBaseUrl override in production with a 422 naming the field, and stores nothing', async () => {
    // The example: a name this machine resolves to 127.0.0.1. It is refused before any lookup.
    const res = await connect({ ...shopify, apiBaseUrl: 'http://vm:3199' }).expect(422).expect('content-type', /application\/problem\+json/);
    expect(res.body.errors).to.deep.equal([{ path: 'apiBaseUrl', message: 'not accepted here: the API address is derived from the shop domain' }]);
    expect(await storesOfOrg()).to.equal(0);
  });

  it('refuses a WooCommerce site on a loopback address or on another protocol’s port, naming siteUrl', async () => {
    const loopback = await connect({ ...woo, siteUrl: 'http://127.0.0.1:8080/shop' }).expect(422);
    expect(loopback.body.errors).to.deep.equal([{ path: 'siteUrl', message: 'this address is not allowed: 127.0.0.1: loopback address' }]);
    const smtp = await connect({ ...woo, siteUrl: 'https://shop.example.test:25' }).expect(422);
    expect(smtp.body.errors).to.deep.equal([{ path: 'siteUrl', message: 'this address is not allowed: port 25 is not allowed: it serves another protocol than HTTP' }]);
    expect(await storesOfOrg()).to.equal(0);
  });

  it('calls the platform through the guarded client: a refused address gets no request, so never the token', async () => {
    const before = fake.calls.length;
    const strict = createOutboundClient({ allowLoopback: false });
    const query = { since: new Date(Date.now() - 86_400_000), by: 'created' as const, cursor: null };
    const refused = await fetchOrdersPage(strict, { platform: 'shopify', apiBaseUrl: fake.baseUrl, credentials: { accessToken: FAKE_SHOPIFY_TOKEN } }, query).catch((error: Error) => error);
    expect(refused).to.be.instanceOf(StoreApiError);
    expect((refused as Error).message).to.equal("the store's API address is not allowed: 127.0.0.1: loopback address");
    expect(fake.calls.length).to.equal(before);
    await strict.close();

    // The same call where loopback is allowed (tests, the demo) reaches the fake platform.
    const allowing = createOutboundClient({ allowLoopback: true });
    const page = await fetchOrdersPage(allowing, { platform: 'woocommerce', apiBaseUrl: fake.baseUrl, credentials: { consumerKey: FAKE_WOO_KEY, consumerSecret: FAKE_WOO_SECRET } }, query);
    expect(page).to.include({ throttled: false });
    expect(fake.calls.slice(before).map((c) => [c.api, c.authorized])).to.deep.equal([['woocommerce', true]]);
    await allowing.close();
  });
});
