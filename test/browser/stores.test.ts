import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { backendStack, type Stack } from '../support/stack.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from '../support/browser.ts';
import { PASSWORD } from '../api/platform/helpers.ts';
import { connectStore, shopifyOrder, type ConnectedStore } from '../api/stores/support.ts';

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

  before(async function () {
    this.timeout(180_000);
    [stack] = await Promise.all([backendStack(), ensureWebAppBuilt()]);
    api = await startApi(stack.ctx, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  afterEach(() => context?.close());
  after(async () => {
    await browser?.close();
    await api?.close();
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
    expect(await figure('orders-today')).to.equal('0');

    await sendWebhook(store, 'orders/create', shopifyOrder(7001, { total: '25.00' }));
    await page.getByTestId('order-feed').getByText('#7001').waitFor();
    await figureIs('orders-today', '1');
    expect(await figure('revenue-today')).to.contain('25.00');

    await sendWebhook(store, 'orders/create', shopifyOrder(7002, { total: '600.00', quantity: 2 }));
    await page.getByTestId('order-feed').getByText('#7002').waitFor();
    await figureIs('orders-today', '2');
    expect(await figure('revenue-today')).to.contain('625.00');
    await page.getByTestId('store-alerts').getByText('High-value order #7002 at Live Outdoor').waitFor();
    // The newest order is on top, and the feed names no customer.
    const feed = await page.getByTestId('order-feed').textContent();
    expect(feed!.indexOf('#7002')).to.be.lessThan(feed!.indexOf('#7001'));
    expect(feed).not.to.contain('@example.test');
  });
});
