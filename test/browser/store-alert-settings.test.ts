import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { backendStack, type Stack } from '../support/stack.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from '../support/browser.ts';
import { addMember, signedInAs } from '../api/platform/helpers.ts';
import { connectStore, shopifyWebhook, type ConnectedStore } from '../api/stores/support.ts';
import { testDb } from '../support/app.ts';

/**
 * A member chooses which store alerts email them on the Alert emails page, as a merchant finds it
 * from the Stores page; an owner watches a low-stock alert open and clear on the store's page.
 */
describe('web app: store alert emails', function () {
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

  async function signedInPage(email: string, path: string): Promise<Page> {
    let page: Page;
    ({ context, page } = await openSignedIn(browser, api.url, email, path, { width: 1280, height: 900 }, { timezoneId: 'America/New_York' }));
    return page;
  }

  let level = 0;
  const stockLevel = (store: ConnectedStore, available: number) =>
    shopifyWebhook(stack, store, 'inventory_levels/update', { inventory_item_id: 5150, location_id: 1, available, updated_at: new Date(Date.now() + ++level).toISOString() }).expect(200);

  it('lets a member choose, per alert kind, at once, the daily digest or no email, and the digest hour in their zone', async () => {
    const store = await connectStore(stack, 'shopify', { name: 'Alpine Gear' });
    const member = await signedInAs(stack.app, 'customer');
    await addMember(store.orgId, member.user.id, 'member');
    const page = await signedInPage(member.user.email, '/stores');
    await page.getByRole('link', { name: 'Alert emails' }).click();
    await page.getByRole('heading', { name: 'Alert emails', level: 1 }).waitFor();

    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Shop Org' }) });
    await card.getByText('member', { exact: true }).waitFor();
    const choice = (kind: string) => page.getByLabel(`${kind} in Shop Org`);
    // A member's defaults: everything in the digest; the zone proposed is the browser's.
    for (const kind of ['Low stock', 'Revenue drop', 'Webhooks gone quiet', 'History load failed', 'High-value order']) {
      expect(await choice(kind).locator('option:checked').textContent()).to.equal('In the daily digest');
    }
    expect(await page.getByLabel('Your timezone').inputValue()).to.equal('America/New_York');

    await choice('Low stock').selectOption({ label: 'Not by email' });
    await choice('Revenue drop').selectOption({ label: 'At once' });
    await page.getByLabel('Send it at').selectOption({ label: '18:00' });
    await page.getByLabel('Your timezone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Alert emails saved.').waitFor();

    await page.reload();
    await choice('Low stock').waitFor();
    expect(await choice('Low stock').locator('option:checked').textContent()).to.equal('Not by email');
    expect(await choice('Revenue drop').locator('option:checked').textContent()).to.equal('At once');
    expect(await choice('Webhooks gone quiet').locator('option:checked').textContent()).to.equal('In the daily digest');
    expect(await page.getByLabel('Send it at').locator('option:checked').textContent()).to.equal('18:00');
    expect(await page.getByLabel('Your timezone').inputValue()).to.equal('Europe/Berlin');
    expect(await testDb()('alert_digest_settings').where({ user_id: member.user.id }).first('hour', 'timezone')).to.deep.equal({ hour: 18, timezone: 'Europe/Berlin' });
    // The owner's own settings are theirs: untouched.
    expect(await testDb()('alert_email_choices').where({ user_id: store.owner.user.id })).to.have.length(0);

    // A zone that is no place is refused, and said so beside the field.
    await page.getByLabel('Your timezone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('pick a timezone by its place').waitFor();
    expect((await testDb()('alert_digest_settings').where({ user_id: member.user.id }).first('timezone')).timezone).to.equal('Europe/Berlin');
  });

  it('shows a low-stock alert open, then cleared when the stock is back, without a reload', async () => {
    const store = await connectStore(stack, 'shopify', { name: 'Harbour Supplies' });
    const page = await signedInPage(store.owner.user.email, `/stores/${store.storeId}`);
    await page.getByRole('heading', { name: 'Harbour Supplies' }).waitFor();
    const alerts = page.getByTestId('store-alerts').locator('li');
    await stockLevel(store, 2);
    await alerts.first().locator('.badge', { hasText: 'Open' }).waitFor();
    await stockLevel(store, 30);
    await alerts.first().locator('.badge', { hasText: 'Cleared' }).waitFor();
    expect(await alerts.count()).to.equal(1);
    await stockLevel(store, 1);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="store-alerts"] li').length === 2);
    expect(await alerts.evaluateAll((items) => items.map((li) => li.getAttribute('data-state')))).to.deep.equal(['open', 'cleared']);
    // The owner finds their alert emails from the store's Alerts card, and from the account menu.
    await page.getByRole('link', { name: 'Alert emails' }).click();
    await page.getByRole('heading', { name: 'Alert emails', level: 1 }).waitFor();
    await page.goBack();
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Alert emails' }).click();
    await page.waitForURL('**/stores/alert-settings');
    expect(await page.getByLabel('Low stock in Shop Org').locator('option:checked').textContent()).to.equal('In the daily digest');
    expect(await page.getByLabel('Revenue drop in Shop Org').locator('option:checked').textContent()).to.equal('At once');
  });
});
