import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { confirmationPath, ensureWebAppBuilt, launchChromium, signUpThroughUi, TEST_PASSWORD } from '../support/browser.ts';
import { backendStack } from '../support/stack.ts';
import { icsOf, startIcsServer, type IcsServer } from '../support/ics-server.ts';
import { uniqueEmail } from '../api/platform/helpers.ts';
import { createService, localDateAhead, putTemplate, signedInProvider } from '../api/catalog/support.ts';

/**
 * A brand-new person who offers services sets up everything the demo seeds for a provider, in
 * the app's own pages: the profile in Asia/Tokyo, a service, weekly hours with a day off, an
 * ICS calendar whose busy event blocks one slot, and then sees their open slots, as customers will.
 * A customer in Europe/Berlin then finds the service by part of a word, books it and asks for
 * another time; the provider answers from the links in their email, each reading their own zone.
 */
describe('web app: a new provider sets up their business', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let ics: IcsServer;
  let stack: Awaited<ReturnType<typeof backendStack>>;
  const contexts: BrowserContext[] = [];

  /** The open slot starting at `at`, paging the calendar on a week or two if it is not in view. */
  async function slotAt(page: Page, at: DateTime) {
    const slot = page.locator(`[data-testid="slot-open"][data-start="${new Date(at.toMillis()).toISOString()}"]`);
    for (let week = 0; week < 3 && !(await slot.isVisible()); week++) {
      await page.getByTestId('week-calendar').getByTestId('slot-open').first().or(page.getByTestId('nothing-open')).waitFor();
      if (await slot.isVisible()) break;
      await page.getByTestId('week-next').click();
    }
    await slot.waitFor();
    return slot;
  }

  /**
   * The provider opens the newest mail with `subject` in the dev outbox, follows its `action` link
   * and presses the button; `check` looks at the answer page first. Answers the mail's text.
   */
  async function answerFromEmail(page: Page, to: string, subject: string, action: 'accept' | 'decline', check?: () => Promise<void>): Promise<string> {
    await page.goto('/dev/outbox');
    const mail = page.getByTestId('outbox-mail').filter({ hasText: to }).filter({ hasText: subject }).first();
    const href = await mail.locator(`a[href*="/respond/"][href*="action=${action}"]`).getAttribute('href');
    const text = await mail.getByTestId('outbox-text').innerText();
    const link = new URL(href!);
    await page.goto(link.pathname + link.search);
    await page.getByTestId(`respond-${action}`).waitFor();
    await check?.();
    await page.getByTestId(`respond-${action}`).click();
    await page.getByTestId('respond-result').waitFor();
    return text;
  }

  before(async function () {
    this.timeout(120_000);
    const built = ensureWebAppBuilt();
    // The backend with Temporal and a worker: the calendar actor reads the feed.
    stack = await backendStack();
    await built;
    [api, browser, ics] = await Promise.all([startApi(stack.ctx, 0, '127.0.0.1'), launchChromium(), startIcsServer()]);
  });
  after(async () => {
    for (const other of contexts) await other.close();
    await context?.close();
    await browser?.close();
    await api?.close();
    await ics?.close();
  });

  it('signs up offering services, sets up in Asia/Tokyo, and answers a Berlin customer’s booking and new time from the email links', async function () {
    this.timeout(240_000);
    context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 } });
    context.setDefaultTimeout(15_000);
    const page: Page = await context.newPage();
    await page.goto('/sign-up');
    const email = uniqueEmail('aiko');
    await page.getByLabel('Name').fill('Aiko Tanaka');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByLabel('I offer services').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    // The mailed link makes the account and leads a provider to their profile.
    await page.getByTestId('check-email').waitFor();
    await page.goto(await confirmationPath(email));

    // Profile first: a non-canonical zone is refused at its field.
    await page.waitForURL('**/provider');
    await page.getByLabel('About you').fill('Calligraphy lessons in Shibuya.');
    await page.getByLabel('Timezone').fill('est');
    await page.getByRole('button', { name: 'Start offering services' }).click();
    await page.getByText('pick a timezone by its place').waitFor();
    await page.getByLabel('Timezone').fill('Asia/Tokyo');
    await page.getByLabel('You answer booking requests').selectOption({ label: 'Within 4 hours' });
    await page.getByRole('button', { name: 'Start offering services' }).click();

    // A service: a bad field is named at the field, the card preview follows the typing.
    await page.waitForURL('**/provider/services');
    await page.getByRole('button', { name: 'Create a service' }).click();
    await page.getByLabel('Duration').fill('2');
    await page.getByRole('button', { name: 'Create service' }).click();
    await page.getByTestId('service-form').getByText('is required').waitFor();
    await page.getByTestId('service-form').getByText('Too small').or(page.getByTestId('service-form').getByText('>=5')).first().waitFor();
    await page.getByLabel('Title').fill('Calligraphy lesson');
    await page.getByLabel('Description').fill('One hour with brush and ink.');
    await page.getByLabel('Duration').fill('60');
    await page.getByLabel('Amount').fill('5000');
    await page.getByLabel('Currency').fill('JPY');
    expect(await page.getByTestId('service-preview').innerText()).to.contain('Calligraphy lesson').and.contain('5,000');
    await page.getByRole('button', { name: 'Create service' }).click();
    await page.getByTestId('own-service').filter({ hasText: 'Calligraphy lesson' }).waitFor();

    // A second service goes first, is edited, archived and restored.
    await page.getByRole('button', { name: 'New service' }).click();
    await page.getByLabel('Title').fill('Ink painting');
    await page.getByLabel('Currency').fill('JPY');
    await page.getByLabel('Accept at once').check();
    await page.getByRole('button', { name: 'Create service' }).click();
    await page.getByTestId('own-service').filter({ hasText: 'Ink painting' }).waitFor();
    await page.getByRole('button', { name: 'Move Ink painting up' }).click();
    await page.getByTestId('own-service').first().filter({ hasText: 'Ink painting' }).waitFor();
    const inkPainting = page.getByTestId('own-service').filter({ hasText: 'Ink painting' });
    expect(await inkPainting.innerText()).to.contain('accepted at once');
    await inkPainting.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Duration').fill('90');
    await page.getByRole('button', { name: 'Save service' }).click();
    await inkPainting.getByText('1 h 30 min').waitFor();
    await inkPainting.getByRole('button', { name: 'Archive' }).click();
    await inkPainting.getByText('Archived').waitFor();
    await inkPainting.getByRole('button', { name: 'Restore' }).click();
    await inkPainting.getByRole('button', { name: 'Archive' }).waitFor();
    expect(await page.getByTestId('own-service').allInnerTexts()).to.have.length(2);

    // Weekly hours: Monday 09:00–12:00 copied to Tuesday–Friday; weekends stay off.
    await page.getByRole('tab', { name: 'Hours & time off' }).click();
    await page.getByLabel('Open on Monday').check();
    await page.getByLabel('Monday interval 1 until').fill('08:00');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await page.locator('[data-day="monday"]').getByText('an interval must end after it starts').waitFor();
    await page.getByLabel('Monday interval 1 until').fill('12:00');
    await page.locator('[data-day="monday"]').getByRole('button', { name: 'Copy to…' }).click();
    for (const day of ['Tue', 'Wed', 'Thu', 'Fri']) await page.getByTestId('copy-days').getByLabel(day).check();
    await page.getByTestId('copy-days').getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await page.getByText('Weekly hours saved.').waitFor();

    // A day off: the next Wednesday, in Tokyo.
    const tokyoToday = DateTime.now().setZone('Asia/Tokyo').startOf('day');
    const dayOff = tokyoToday.plus({ days: ((3 - tokyoToday.weekday + 7) % 7) || 7 });
    await page.getByTestId('overrides').getByLabel('Date').fill(dayOff.toFormat('yyyy-MM-dd'));
    await page.getByTestId('overrides').getByRole('button', { name: 'Set date' }).click();
    await page.getByText(`${dayOff.toFormat('yyyy-MM-dd')} is a day off.`).waitFor();

    // The preview: weekdays offer 09:00, 10:00 and 11:00 Tokyo time; the day off and the weekend nothing.
    const previewDay = (date: DateTime) => page.locator(`[data-testid="preview-day"][data-date="${date.toFormat('yyyy-MM-dd')}"]`);
    const nextThursday = dayOff.plus({ days: 1 });
    await previewDay(dayOff).getByText('Nothing open').waitFor();
    expect(await previewDay(nextThursday).getByTestId('preview-slot').allInnerTexts()).to.deep.equal(['09:00', '10:00', '11:00']);
    expect(await previewDay(dayOff).innerText()).to.contain('Nothing open');
    expect(await previewDay(nextThursday.plus({ days: 2 })).innerText()).to.contain('Nothing open');

    // Their calendar has a dentist appointment on Thursday 10:00–11:00 Tokyo time: subscribed, it blocks that slot.
    const dentist = nextThursday.set({ hour: 10 });
    ics.body = icsOf([['dentist', dentist.toJSDate(), dentist.plus({ hours: 1 }).toJSDate()]]);
    await page.getByRole('tab', { name: 'Calendars' }).click();
    await page.getByLabel('ICS address').fill(ics.url);
    await page.getByLabel('Name (optional)').fill('Personal');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByTestId('calendar-feed').filter({ hasText: 'Personal' }).waitFor();
    for (let i = 0; i < 30 && !(await page.getByTestId('calendar-feed').innerText()).includes('1 busy event'); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByTestId('calendar-feed').waitFor();
    }
    expect(await page.getByTestId('calendar-feed').innerText()).to.contain('1 busy event');
    await page.getByRole('tab', { name: 'Hours & time off' }).click();
    await previewDay(nextThursday).getByTestId('preview-slot').first().waitFor();
    expect(await previewDay(nextThursday).getByTestId('preview-slot').allInnerTexts()).to.deep.equal(['09:00', '11:00']);
    expect(await previewDay(nextThursday).innerText()).to.contain('1 taken');

    // Customers find the service and its open slots on the provider's public page.
    const providerId = (await page.evaluate(() => fetch('/api/v1/providers/me/profile').then((r) => r.json()))).id;
    await page.goto(`/providers/${providerId}`);
    await page.getByText('Calligraphy lesson').first().waitFor();
    await page.getByTestId('slot-open').first().waitFor();

    // A customer in Berlin finds it by part of a word, books Thursday 09:00 Tokyo time, and then
    // asks to move it to 11:00; the provider answers both from the links in their email.
    const nine = nextThursday.set({ hour: 9 });
    const eleven = nextThursday.set({ hour: 11 });
    const customerContext = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    contexts.push(customerContext);
    customerContext.setDefaultTimeout(15_000);
    const customer = await customerContext.newPage();
    const customerEmail = uniqueEmail('bea');
    await signUpThroughUi(customer, 'Bea Becker', customerEmail);
    await customer.goto('/services');
    await customer.getByTestId('service-search').fill('calligr');
    await customer.getByTestId('service-search').press('Enter');
    const card = customer.getByTestId('service-card').filter({ hasText: 'Calligraphy lesson' });
    await card.getByTestId('service-book').click();
    await customer.getByTestId('calendar-zone').filter({ hasText: 'Europe/Berlin' }).waitFor();
    // In Berlin the Tokyo mornings are the small hours; the dentist's hour is not offered.
    await slotAt(customer, nine);
    expect(await customer.getByTestId('slot-blocked').first().getAttribute('title')).to.equal('02:00 – not available');
    expect(await (await slotAt(customer, nine)).innerText()).to.equal('01:00');
    await (await slotAt(customer, nine)).click();
    await customer.getByTestId('booking-confirm').click();
    await customer.locator('[data-testid="booking-state"][data-state="requested"]').waitFor();
    const bookingPath = new URL(customer.url()).pathname;

    await answerFromEmail(page, email, 'New booking request: Calligraphy lesson', 'accept');
    await customer.locator('[data-testid="booking-state"][data-state="accepted"]').waitFor();

    await customer.getByTestId('reschedule-open').click();
    await slotAt(customer, eleven);
    await (await slotAt(customer, eleven)).click();
    await customer.getByTestId('reschedule-pending').waitFor();
    expect(await customer.getByTestId('reschedule-new-time').innerText()).to.match(/03:00 – 04:00 CET$/);
    expect(await customer.getByTestId('booking-when').innerText()).to.match(/01:00 – 02:00 CET$/);

    const proposalText = await answerFromEmail(page, email, 'New time proposed: Calligraphy lesson', 'accept', async () => {
      expect(await page.getByTestId('respond-proposed-time').innerText()).to.match(/11:00 AM – 12:00 PM GMT\+9$/);
    });
    expect(proposalText).to.contain('09:00 (Asia/Tokyo)').and.contain('11:00 (Asia/Tokyo)').and.not.contain('Europe/Berlin');

    // The customer's page follows without a reload: the booking is at its new time.
    expect(new URL(customer.url()).pathname).to.equal(bookingPath);
    await customer.getByTestId('booking-when').filter({ hasText: /03:00 – 04:00 CET$/ }).waitFor();
    await customer.getByTestId('reschedule-pending').waitFor({ state: 'detached' });

    // Every message is in its reader's zone, and names it.
    const mails = await stack.ctx.db('dev_outbox').whereIn('to_address', [email, customerEmail]).whereNot('subject', 'like', '%confirm%').select('to_address', 'subject', 'text_body');
    const toCustomer = mails.filter((m) => m.to_address === customerEmail && /Calligraphy/.test(m.subject));
    const toProvider = mails.filter((m) => m.to_address === email && /Calligraphy/.test(m.subject));
    expect(toCustomer.map((m) => m.subject)).to.include.members(['Booking accepted: Calligraphy lesson', 'Booking moved: Calligraphy lesson']);
    expect(toProvider.map((m) => m.subject)).to.include.members(['New booking request: Calligraphy lesson', 'New time proposed: Calligraphy lesson', 'Booking moved: Calligraphy lesson']);
    for (const mail of toCustomer) expect(mail.text_body, mail.subject).to.contain('(Europe/Berlin)').and.not.contain('Asia/Tokyo');
    for (const mail of toProvider) expect(mail.text_body, mail.subject).to.contain('(Asia/Tokyo)').and.not.contain('Europe/Berlin');
    expect(toCustomer.find((m) => m.subject.startsWith('Booking moved'))!.text_body).to.contain('03:00 (Europe/Berlin)');
    // So is every notification in the app.
    const notes = await stack.ctx.db('notifications as n').join('users as u', 'u.id', 'n.user_id').whereIn('u.email', [email, customerEmail]).where('n.kind', 'like', 'booking.%').select('u.email', 'n.title', 'n.body');
    expect(notes.map((n) => n.title)).to.include.members(['New time proposed: Calligraphy lesson', 'Booking moved: Calligraphy lesson']);
    for (const note of notes) {
      const [own, other] = note.email === customerEmail ? ['(Europe/Berlin)', 'Asia/Tokyo'] : ['(Asia/Tokyo)', 'Europe/Berlin'];
      expect(note.body, note.title).to.contain(own).and.not.contain(other);
    }
  });

  it('opens a provider’s calendar on the first week with an open slot, not on an empty one', async function () {
    this.timeout(60_000);
    const provider = await signedInProvider(stack.app, 'Europe/Berlin');
    const service = await createService(provider, { title: 'Chimney sweep', maxDaysAhead: 90 });
    await putTemplate(provider, {});
    const { date } = localDateAhead(24, 'Europe/Berlin');
    await provider.agent.put(`/api/v1/providers/me/availability/overrides/${date}`).set('X-CSRF-Token', provider.csrf).send({ intervals: [{ start: '10:00', end: '12:00' }] }).expect(200);

    context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`/providers/${provider.user.id}?service=${service.id}`);
    await page.getByTestId('slot-open').first().waitFor();
    expect(await page.getByTestId('slot-open').allInnerTexts()).to.deep.equal(['10:00', '11:00']);
    await page.getByRole('button', { name: 'This week' }).click();
    expect(await page.getByTestId('nothing-open').innerText()).to.contain('Go to the first open time');
  });
});
