import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { backendStack, type Stack } from '../support/stack.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from '../support/browser.ts';
import { connectStore, shopifyOrder, shopifyWebhook, type ConnectedStore } from '../api/stores/support.ts';

/** Screenshots a person would look at, kept after the run (test/artifacts is not committed). */
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/**
 * A merchant keeps the store's dashboard open and picks the days its sales cover: a preset, a
 * custom range, a comparison; the figures and the chart follow, and the URL keeps the choice.
 */
describe('web app: store sales over a date range', function () {
  this.timeout(120_000);
  let stack: Stack;
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let store: ConnectedStore;

  before(async function () {
    this.timeout(180_000);
    [stack] = await Promise.all([backendStack(), ensureWebAppBuilt(), mkdir(ARTIFACTS, { recursive: true })]);
    api = await startApi(stack.ctx, 0, '127.0.0.1');
    browser = await launchChromium();
    store = await connectStore(stack, 'shopify', { name: 'Range Outdoor' }); // EUR, Europe/Berlin
    const berlinToday = DateTime.now().setZone('Europe/Berlin').startOf('day');
    const at = (d: DateTime) => d.toUTC().toISO()!;
    const send = async (topic: string, payload: unknown) => void (await shopifyWebhook(stack, store, topic, payload).expect(200));
    await send('orders/create', shopifyOrder(9501, { total: '20.00', createdAt: at(berlinToday.minus({ hours: 12 })) }));
    await send('orders/create', shopifyOrder(9502, { total: '40.00', createdAt: at(berlinToday.minus({ days: 3 }).plus({ hours: 10 })) }));
    await send('orders/create', shopifyOrder(9503, { total: '100.00', quantity: 3, createdAt: '2026-11-03T10:00:00Z' }));
    await send('orders/create', shopifyOrder(9504, { total: '80.00', createdAt: '2025-11-04T10:00:00Z' }));
    await send('orders/create', shopifyOrder(9505, { total: '25.00', createdAt: new Date(Date.now() - 60_000).toISOString() }));
    // 15.00 of the order of three days ago refunded now: today's net sales drop, not that day's.
    const now = new Date().toISOString();
    await send('refunds/create', { id: 801, order_id: 9502, created_at: now, processed_at: now, transactions: [{ kind: 'refund', status: 'success', amount: '15.00' }] });
  });
  afterEach(() => context?.close());
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  async function signedInPage(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    let page: Page;
    ({ context, page } = await openSignedIn(browser, api.url, store.owner.user.email, path, viewport));
    return page;
  }

  const figure = (page: Page, id: string) => page.getByTestId(`figure-${id}`);
  const figureIs = (page: Page, id: string, text: string) =>
    page.waitForFunction(([testId, v]) => document.querySelector(`[data-testid="${testId}"] .stat-value`)?.textContent?.includes(v), [`figure-${id}`, text]);
  const chart = (page: Page) => page.getByTestId('sales-chart');
  const chartIs = async (page: Page, bucket: string, points: number) => {
    await page.waitForFunction(([b, n]) => {
      const el = document.querySelector('[data-testid="sales-chart"]');
      return el?.getAttribute('data-bucket') === b && el?.getAttribute('data-points') === n;
    }, [bucket, String(points)]);
  };

  it('shows today against yesterday, then a preset, a custom range and a comparison chosen, kept across a reload', async () => {
    const page = await signedInPage(`/stores/${store.storeId}`);
    await page.getByRole('heading', { name: 'Range Outdoor' }).waitFor();
    // Today: 25.00 sold, 15.00 refunded; yesterday 20.00.
    await figureIs(page, 'net-sales', '10.00');
    expect(await figure(page, 'orders').locator('.stat-value').textContent()).to.equal('1');
    expect(await figure(page, 'net-sales').locator('.stat-desc').textContent()).to.equal('−50 % vs previous period (€20.00)');
    expect(await figure(page, 'aov').locator('.stat-value').textContent()).to.contain('25.00');
    await chartIs(page, 'hour', 24);
    expect(await chart(page).getAttribute('aria-label')).to.match(/^Net sales by hour, \w{3} \d+ against \w{3} \d+$/);

    // The figures move while the page is open.
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(9506, { total: '5.00', createdAt: new Date().toISOString() })).expect(200);
    await figureIs(page, 'net-sales', '15.00');
    await page.screenshot({ path: join(ARTIFACTS, 'store-range-today.png'), fullPage: true });

    await page.getByTestId('range-preset').selectOption('last7');
    await page.waitForURL(/range=last7/);
    await figureIs(page, 'net-sales', '75.00');
    expect(await figure(page, 'orders').locator('.stat-value').textContent()).to.equal('4');
    await chartIs(page, 'day', 7);

    await page.getByTestId('range-preset').selectOption('custom');
    await page.getByTestId('range-from').fill('2026-11-02');
    await page.getByTestId('range-to').fill('2026-11-04');
    await page.waitForURL(/range=custom&compare=previous&from=2026-11-02&to=2026-11-04|from=2026-11-02.*to=2026-11-04/);
    await figureIs(page, 'net-sales', '100.00');
    expect(await figure(page, 'units').locator('.stat-value').textContent()).to.equal('3');
    await chartIs(page, 'day', 3);
    expect(await page.getByTestId('sales-chart-table').locator('tbody tr').allTextContents()).to.deep.equal([
      'Nov 2€0.00Oct 30: €0.00',
      'Nov 3€100.00Oct 31: €0.00',
      'Nov 4€0.00Nov 1: €0.00',
    ]);

    await page.getByTestId('range-compare').selectOption('year');
    await page.waitForURL(/compare=year/);
    await page.waitForFunction(() => document.querySelector('[data-testid="figure-net-sales"] .stat-desc')?.textContent?.includes('last year'));
    expect(await figure(page, 'net-sales').locator('.stat-desc').textContent()).to.equal('+25 % vs last year (€80.00)');
    await page.screenshot({ path: join(ARTIFACTS, 'store-range-custom.png'), fullPage: true });

    await page.reload();
    await figureIs(page, 'net-sales', '100.00');
    expect(await page.getByTestId('range-preset').inputValue()).to.equal('custom');
    expect([await page.getByTestId('range-from').inputValue(), await page.getByTestId('range-to').inputValue()]).to.deep.equal(['2026-11-02', '2026-11-04']);
    expect(await page.getByTestId('range-compare').inputValue()).to.equal('year');
    expect(await figure(page, 'net-sales').locator('.stat-desc').textContent()).to.equal('+25 % vs last year (€80.00)');
  });

  it('fits a phone: the picker, the figures and the chart within 390 px', async () => {
    const page = await signedInPage(`/stores/${store.storeId}?range=last30&compare=previous`, { width: 390, height: 844 });
    await figureIs(page, 'net-sales', '75.00');
    await chartIs(page, 'day', 30);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    for (const id of ['date-range-picker', 'store-figures', 'sales-chart']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box!.x + box!.width, id).to.be.at.most(390);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'store-range-390.png'), fullPage: true });

    // A custom range's two days fit beside each other too.
    await page.getByTestId('range-preset').selectOption('custom');
    await page.getByTestId('range-to').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    for (const id of ['range-from', 'range-to']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box!.x + box!.width, id).to.be.at.most(390);
    }
    await page.getByTestId('date-range-picker').screenshot({ path: join(ARTIFACTS, 'store-range-390-custom.png') });
  });
});
