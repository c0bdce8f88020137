import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from '../support/browser.ts';
import { createUser, signIn } from '../api/platform/helpers.ts';
import { customer as apiCustomer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from '../api/bookings/support.ts';
import type { UserRow } from '../../db/repositories/users.ts';

/**
 * The booking journey across two people: a customer books, the provider sees the request arrive
 * live, accepts it from the link in the email (found in the dev outbox), and the customer's page
 * turns to accepted without a reload.
 */
describe('web app: booking and accepting from the email link', () => {
  let market: Marketplace;
  let api: RunningApi;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async function () {
    this.timeout(120_000);
    const built = ensureWebAppBuilt();
    market = await marketplace();
    await built;
    // The same backend the API tests use (embedded Temporal and a worker), served with the web app.
    api = await startApi(market.stack.ctx, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await api?.close();
  });

  async function signedInPage(user: UserRow, path: string): Promise<Page> {
    const { context, page } = await openSignedIn(browser, api.url, user.email, path);
    contexts.push(context);
    return page;
  }

  it('books a slot, shows the request to the provider live, and shows the acceptance to the customer live', async function () {
    this.timeout(90_000);
    const provider = await signedInPage(market.provider.user, '/requests');
    const customerUser = await createUser('customer', 'carla');
    const customer = await signedInPage(customerUser, `/providers/${market.provider.user.id}?service=${market.serviceId}`);

    await customer.getByTestId('week-calendar').waitFor();
    await customer.getByTestId('slot-open').first().click();
    await customer.getByTestId('hold-countdown').waitFor();
    await customer.getByTestId('booking-notes').fill('Please bring a ladder');
    await customer.getByTestId('booking-confirm').click();
    await customer.locator('[data-testid="booking-state"][data-state="requested"]').waitFor();
    const bookingPath = new URL(customer.url()).pathname;

    // The provider's requests page learns of it over the relay.
    await provider.getByTestId('requests-requested').getByTestId('booking-item').filter({ hasText: 'Test carla' }).waitFor();

    // The provider opens the email in the dev outbox and follows its accept link.
    await provider.goto('/dev/outbox');
    const mail = provider.getByTestId('outbox-mail').filter({ hasText: market.provider.user.email }).filter({ hasText: 'Test carla' }).first();
    const href = await mail.locator('a[href*="/respond/"][href*="action=accept"]').getAttribute('href');
    const link = new URL(href!);
    await provider.goto(link.pathname + link.search);
    await provider.getByTestId('respond-accept').click();
    await provider.getByTestId('respond-result').waitFor();

    // The customer's booking page turns to accepted by itself.
    expect(new URL(customer.url()).pathname).to.equal(bookingPath);
    await customer.locator('[data-testid="booking-state"][data-state="accepted"]').waitFor();
    expect(await customer.getByTestId('booking-state').innerText()).to.match(/accepted/i);
  });

  it('says plainly that a time was just taken, and what to do, when someone else held it first', async function () {
    this.timeout(60_000);
    const late = await signedInPage(await createUser('customer', 'lena'), `/providers/${market.provider.user.id}?service=${market.serviceId}`);
    const slot = late.getByTestId('slot-open').first();
    await slot.waitFor();
    // Another customer holds the same time while Lena still sees it open.
    await hold(await apiCustomer(market.stack), market.serviceId, (await slot.getAttribute('data-start'))!);
    await slot.click();
    const refusal = late.getByTestId('hold-problem');
    await refusal.waitFor();
    const heading = await refusal.locator('.font-semibold').innerText();
    expect(heading).to.match(/just taken/).and.to.match(/Pick another open time\.$/);
    expect(await refusal.innerText()).not.to.match(/conflict/i);
  });

  it('warns of a late cancellation before it is confirmed, and offers starting the work only from when it can', async function () {
    this.timeout(90_000);
    // An accepted booking two hours away: inside the free-cancellation day, before work may start.
    const cora = await createUser('customer', 'cora');
    const session = await signIn(market.stack.app, cora);
    const id = await hold(session, market.serviceId, quarterHourFromNow(8));
    await post(session, `/api/v1/bookings/${id}/confirm`).expect(200);
    const accepted = (await post(market.provider, `/api/v1/bookings/${id}/accept`).expect(200)).body;

    const customerPage = await signedInPage(cora, `/bookings/${id}`);
    await customerPage.getByTestId('booking-cancel').click();
    const warning = customerPage.getByTestId('reason-warning');
    await warning.waitFor();
    expect(await warning.innerText()).to.equal(
      `It starts in less than 24 hours, so this is a late cancellation: the booking is marked as canceled late, and ${market.provider.user.name} is told so.`,
    );
    await customerPage.getByRole('button', { name: 'Back' }).click();
    expect(await customerPage.getByTestId('booking-state').getAttribute('data-state')).to.equal('accepted');

    const providerPage = await signedInPage(market.provider.user, `/bookings/${id}`);
    const start = providerPage.getByTestId('booking-start');
    await start.waitFor();
    expect(await start.isDisabled()).to.equal(true);
    const opens = DateTime.fromISO(accepted.startOpensAt).toLocaleString(DateTime.TIME_SIMPLE);
    expect(await providerPage.getByTestId('booking-start-opens').innerText()).to.contain('Start work opens').and.to.contain(opens);

    // On the board, moving the card to In progress is refused before it is sent, with the same time.
    await providerPage.goto('/board');
    const card = providerPage.getByTestId('task-card').filter({ hasText: 'Test cora' });
    await card.focus();
    await providerPage.keyboard.press('Alt+ArrowRight');
    const toast = providerPage.locator('.toast .alert').filter({ hasText: 'can start from' });
    await toast.waitFor();
    expect(await toast.innerText()).to.contain(opens);
    const acceptedColumn = providerPage.locator('[data-testid="board-column"]').filter({ has: providerPage.getByRole('heading', { name: 'Accepted' }) });
    await acceptedColumn.getByTestId('task-card').filter({ hasText: 'Test cora' }).waitFor();
  });

  it('lets the provider propose a new time in the app; the customer sees it live and declines it, and the provider sees that live', async function () {
    this.timeout(90_000);
    const dora = await createUser('customer', 'dora');
    const session = await signIn(market.stack.app, dora);
    const startsAt = quarterHourFromNow(12);
    const id = await hold(session, market.instantServiceId, startsAt);
    await post(session, `/api/v1/bookings/${id}/confirm`).expect(200);

    const customerPage = await signedInPage(dora, `/bookings/${id}`);
    await customerPage.getByTestId('reschedule-open').waitFor();
    const providerPage = await signedInPage(market.provider.user, `/bookings/${id}`);
    await providerPage.getByTestId('reschedule-open').click();
    const slot = providerPage.getByTestId('slot-open').last();
    const proposedStart = await slot.getAttribute('data-start');
    await slot.click();
    await providerPage.getByTestId('reschedule-pending').filter({ hasText: 'You proposed a new time to Test dora' }).waitFor();

    // The customer's page learns of it over the relay, with the new time and the answers.
    const pending = customerPage.getByTestId('reschedule-pending');
    await pending.filter({ hasText: `${market.provider.user.name} proposes a new time` }).waitFor();
    expect(await customerPage.getByTestId('reschedule-new-time').innerText()).to.contain(DateTime.fromISO(proposedStart!).toLocaleString(DateTime.TIME_SIMPLE));
    await customerPage.getByTestId('reschedule-decline').click();
    await customerPage.getByTestId('reason-note').fill('I am at work then');
    await customerPage.getByTestId('reason-confirm').click();
    await pending.waitFor({ state: 'detached' });
    await customerPage.getByTestId('reschedule-open').waitFor();

    // The provider's page drops the proposal by itself; the booking kept its time.
    await providerPage.getByTestId('reschedule-pending').waitFor({ state: 'detached' });
    expect(await providerPage.getByTestId('booking-when').innerText()).to.contain(DateTime.fromISO(startsAt).toLocaleString(DateTime.TIME_SIMPLE));
  });

  it('shows the slot grid in the browser’s zone or the one picked, remembers the pick, and books in it', async function () {
    this.timeout(90_000);
    const tess = await createUser('customer', 'tess');
    const path = `/providers/${market.provider.user.id}?service=${market.serviceId}`;
    const { context, page } = await openSignedIn(browser, api.url, tess.email, path, undefined, { timezoneId: 'America/Sao_Paulo' });
    contexts.push(context);
    const picker = page.getByLabel('Show times in');
    await page.getByTestId('calendar-zone').filter({ hasText: 'America/Sao Paulo' }).waitFor();
    expect(await picker.inputValue()).to.equal('America/Sao_Paulo');

    await picker.fill('Asia/Tokyo');
    await page.getByTestId('calendar-zone').filter({ hasText: 'Asia/Tokyo' }).waitFor();
    await page.reload();
    await page.getByTestId('calendar-zone').filter({ hasText: 'Asia/Tokyo' }).waitFor();
    expect(await page.getByLabel('Show times in').inputValue()).to.equal('Asia/Tokyo');

    await page.getByTestId('slot-open').first().click();
    await page.getByTestId('hold-countdown').waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const booking = await market.stack.ctx.db('bookings').where({ id }).first('customer_timezone');
    expect(booking.customer_timezone).to.equal('Asia/Tokyo');
  });
});
