import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { backendStack, type Stack } from '../support/stack.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from '../support/browser.ts';
import { PASSWORD } from '../api/platform/helpers.ts';
import { connectStore, shopifyOrder, type ConnectedStore } from '../api/stores/support.ts';
import { createOrg, signedInAs } from '../api/platform/helpers.ts';
import { TEST_SHOPIFY_APP } from '../support/app.ts';
import { startFakeStoreServer, type FakeStoreServer } from '../support/fake-store-server.ts';

/**
 * A store owner watches their store's dashboard while its Shopify webhooks arrive, signed, from
 * this test over 127.0.0.1: the figures, the order feed and the alerts change without a reload.
 */
describe('web app: store dashboard', function () {
  this.timeout(90_000);
  let stack: Stack;
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let fake: FakeStoreServer;
  const SHOP = 'browser-outdoor.myshopify.com';

  before(async function () {
    this.timeout(180_000);
    [stack, , fake] = await Promise.all([
      backendStack(),
      ensureWebAppBuilt(),
      startFakeStoreServer({ shopifyApp: { ...TEST_SHOPIFY_APP, shop: SHOP, shopFacts: { name: 'Browser Outdoor', currencyCode: 'EUR', ianaTimezone: 'Europe/Berlin' } } }),
    ]);
    api = await startApi(stack.ctx, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  afterEach(() => context?.close());
  after(async () => {
    await browser?.close();
    await api?.close();
    await fake?.close();
  });

  async function signedInPage(email: string, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    let page: Page;
    ({ context, page } = await openSignedIn(browser, api.url, email, path, viewport));
    return page;
  }

  let deliveries = 0;
  async function sendWebhook(store: ConnectedStore, topic: string, payload: unknown): Promise<void> {
    deliveries += 1;
    const body = JSON.stringify(payload);
    const res = await fetch(`${api.url}/webhooks/shopify/${store.storeId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-hmac-sha256': createHmac('sha256', store.secret).update(body).digest('base64'),
        'x-shopify-webhook-id': `browser-${store.storeId}-${deliveries}`,
      },
      body,
    });
    expect(res.status).to.equal(200);
  }

  it('shows orders, revenue and a high-value alert arriving live from signed webhooks', async () => {
    const store = await connectStore(stack, 'shopify', { name: 'Live Outdoor', highValueThresholdMinor: 50_000 });
    const page = await signedInPage(store.owner.user.email, `/stores/${store.storeId}`);
    await page.getByRole('heading', { name: 'Live Outdoor' }).waitFor();
    await page.getByText('No orders yet').waitFor();
    const figure = (testId: string) => page.getByTestId(testId).locator('.stat-value').textContent();
    const figureIs = (testId: string, value: string) =>
      page.waitForFunction(([id, v]) => document.querySelector(`[data-testid="${id}"] .stat-value`)?.textContent?.trim() === v, [testId, value]);
    expect(await figure('figure-orders')).to.equal('0');

    await sendWebhook(store, 'orders/create', shopifyOrder(7001, { total: '25.00' }));
    await page.getByTestId('order-feed').getByText('#7001').waitFor();
    await figureIs('figure-orders', '1');
    expect(await figure('figure-net-sales')).to.contain('25.00');

    await sendWebhook(store, 'orders/create', shopifyOrder(7002, { total: '600.00', quantity: 2 }));
    await page.getByTestId('order-feed').getByText('#7002').waitFor();
    await figureIs('figure-orders', '2');
    expect(await figure('figure-net-sales')).to.contain('625.00');
    await page.getByTestId('store-alerts').getByText('High-value order #7002 at Live Outdoor').waitFor();
    // The newest order is on top, and the feed names no customer.
    const feed = await page.getByTestId('order-feed').textContent();
    expect(feed!.indexOf('#7002')).to.be.lessThan(feed!.indexOf('#7001'));
    expect(feed).not.to.contain('@example.test');
    // "n seconds ago" moves on by itself, without a reload or a new webhook.
    const age = await page.getByTestId('order-feed').locator('time').first().textContent();
    await page.waitForFunction((before) => document.querySelector('[data-testid="order-feed"] time')?.textContent !== before, age);
  });

  it('installs the Shopify app through Shopify\u2019s OAuth, shows its registered webhooks, takes only app-signed webhooks, and shows an uninstall', async () => {
    const owner = await signedInAs(stack.app, 'customer');
    await createOrg(owner, 'Browser Outdoor Org');
    const page = await signedInPage(owner.user.email, '/stores');
    // The shop's admin is the fake Shopify on 127.0.0.1: the install's admin address is pointed there (allowed with ALLOW_LOOPBACK_TARGETS only).
    await page.route('**/stores/shopify/install?**', (route) => route.continue({ url: `${route.request().url()}&apiBaseUrl=${encodeURIComponent(fake.baseUrl)}` }));
    const form = page.getByTestId('connect-store');
    await form.getByLabel('Shop domain').fill(SHOP);
    await form.getByRole('button', { name: 'Install on Shopify' }).click();

    await page.waitForURL(/\/stores\/\d+$/);
    expect(fake.shopifyApp!.authorizations).to.have.length(1);
    expect(fake.shopifyApp!.authorizations[0].redirect_uri).to.equal(`${api.url}/api/v1/stores/shopify/callback`);
    await page.getByRole('heading', { name: 'Browser Outdoor' }).waitFor();
    const health = page.getByTestId('connection-health');
    await health.getByText('Shopify app install').waitFor();
    await health.getByTestId('registered-webhooks').getByText(/orders\/create.*app\/uninstalled/).waitFor();

    const storeId = Number(/\/stores\/(\d+)$/.exec(page.url())![1]);
    const send = (topic: string, payload: unknown, secret?: string) => {
      const { url, headers, body } = fake.shopifyApp!.delivery(topic, payload, secret);
      expect(new URL(url).pathname).to.equal(`/webhooks/shopify/${storeId}`);
      return fetch(`${api.url}${new URL(url).pathname}`, { method: 'POST', headers, body });
    };
    expect((await send('orders/create', shopifyOrder(8101, { total: '42.00' }))).status).to.equal(200);
    expect((await send('orders/create', shopifyOrder(8102, { total: '99.00' }), 'a-key-that-is-not-the-app-secret')).status).to.equal(401);
    await page.getByTestId('order-feed').getByText('#8101').waitFor();
    expect(await page.getByTestId('order-feed').textContent()).not.to.contain('#8102');

    expect((await send('app/uninstalled', { id: 1, domain: SHOP })).status).to.equal(200);
    await health.getByTestId('access').getByText('Revoked: the app was uninstalled').waitFor();
  });

  it('shows a history load that failed with its reason, and Retry loads it', async () => {
    fake.shopifyOrders = [{ id: 8801, total: '12.00', currency: 'EUR', createdAt: new Date(Date.now() - 86_400_000).toISOString(), updatedAt: new Date(Date.now() - 86_400_000).toISOString(), quantity: 1 }];
    fake.failNext = { status: 401, count: 1 };
    const store = await connectStore(stack, 'shopify', { name: 'Retry Outdoor', apiBaseUrl: fake.baseUrl, backfillDays: 7 });
    const page = await signedInPage(store.owner.user.email, `/stores/${store.storeId}`);
    const history = page.getByTestId('backfill');
    await history.getByText('History load failed').waitFor();
    expect(await history.getByTestId('backfill-error').textContent()).to.equal('Shopify answered 401');
    await history.getByRole('button', { name: 'Retry' }).click();
    await history.getByText('History of the last 7 days loaded').waitFor();
    await page.getByTestId('order-feed').getByText('#8801').waitFor();
  });

  it('connects a WooCommerce site from the form, which empties afterwards, with the timezone picked from the list', async () => {
    const owner = await signedInAs(stack.app, 'customer');
    await createOrg(owner, 'Woo Form Org');
    const page = await signedInPage(owner.user.email, '/stores');
    const form = page.getByTestId('connect-store');
    await form.getByLabel('WooCommerce').check();
    await form.getByLabel('Store name').fill('Form Woo');
    await form.getByLabel('Site URL').fill(fake.baseUrl);
    await form.getByLabel('Consumer key').fill('ck_testkey12345');
    await form.getByLabel('Consumer secret').fill('cs_testsecret12345');
    await form.getByLabel('Store timezone').fill('Europe/Atlantis');
    await form.getByText('Choose a timezone from the list').waitFor();
    await form.getByLabel('Store timezone').fill('Europe/Berlin');
    await form.getByLabel('Currency').fill('EUR');
    await form.getByRole('button', { name: 'Connect store' }).click();
    await page.getByTestId('store-list').getByText('Form Woo').waitFor();
    expect(await form.getByLabel('Store name').inputValue()).to.equal('');
    expect(await form.getByLabel('Consumer secret').inputValue()).to.equal('');
  });
});
