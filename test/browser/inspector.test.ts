import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { backendStack } from '../support/stack.ts';
import { ensureWebAppBuilt, launchChromium } from '../support/browser.ts';
import { PASSWORD, createUser } from '../api/platform/helpers.ts';
import { customer, hold, marketplace, quarterHourFromNow, type Marketplace } from '../api/bookings/support.ts';

/**
 * An admin inspects a booking's actor in the web app: finds it among the bookings, opens it, reads
 * its state and history, and cancels it. The API runs with the test stack's Temporal and worker.
 */
describe('browser: workflow inspector', function () {
  this.timeout(120_000);
  let market: Marketplace;
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await ensureWebAppBuilt();
    market = await marketplace();
    api = await startApi({ ...market.stack.ctx, config: { ...market.stack.ctx.config, TEMPORAL_UI_URL: 'http://127.0.0.1:8233' } }, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });
  afterEach(() => page.context().close());

  async function signInAs(role: 'admin' | 'customer'): Promise<void> {
    const person = await createUser(role);
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }

  it('lists a booking actor, opens its state and history, links to the Temporal UI, and cancels it', async () => {
    const id = await hold(await customer(market.stack), market.serviceId, quarterHourFromNow(24));
    const workflowId = `booking-${id}`;
    await signInAs('admin');

    await page.goto('/admin');
    await page.getByRole('tab', { name: 'Workflows' }).click();
    await page.waitForURL('**/admin/workflows');
    await page.getByLabel('Kind').selectOption('booking');
    await page.getByLabel('Status').selectOption('running');
    const row = page.getByRole('row').filter({ hasText: workflowId });
    await row.getByText('RUNNING').waitFor();
    expect(await row.textContent()).to.include('Booking');
    await page.getByRole('link', { name: workflowId }).click();

    await page.waitForURL(`**/admin/workflows/${workflowId}`);
    const state = page.getByLabel('State query result');
    await state.waitFor();
    expect(JSON.parse((await state.textContent())!)).to.include({ bookingId: String(id), state: 'held' });
    const history = page.getByRole('list', { name: 'History timeline' });
    await history.getByText('WorkflowExecutionStarted').waitFor();
    expect(await history.textContent()).to.include('TimerStarted');
    expect(await history.textContent()).not.to.include('WorkflowTaskCompleted');
    await page.getByLabel('Show workflow task events').check();
    await history.getByText('WorkflowTaskCompleted').first().waitFor();
    const ui = page.getByRole('link', { name: 'Open in the Temporal UI' });
    expect(await ui.getAttribute('href')).to.match(new RegExp(`^http://127\\.0\\.0\\.1:8233/namespaces/default/workflows/${workflowId}/[\\w-]+/history$`));

    await page.getByRole('button', { name: 'Cancel workflow' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel workflow' }).click();
    await page.getByText(`Asked ${workflowId} to cancel.`).waitFor();
    // The actor ends once its worker handles the request; the page shows it on the next look.
    for (let i = 0; i < 50 && !(await page.getByText('CANCELLED').isVisible()); i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    await page.getByText('CANCELLED').first().waitFor();
    expect(await page.getByRole('button', { name: 'Cancel workflow' }).count()).to.equal(0);
  });

  it('finds a booking by its number, names what it runs for, and shows its call stack', async () => {
    const id = await hold(await customer(market.stack), market.serviceId, quarterHourFromNow(30));
    await signInAs('admin');
    await page.goto('/admin/workflows');
    await page.getByLabel('Search workflows').fill(`#${id}`);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    const row = page.getByRole('row').filter({ hasText: `booking-${id}` });
    await row.waitFor();
    const entity = row.getByRole('link', { name: new RegExp(`^#${id} `) });
    expect(await entity.getAttribute('href')).to.equal(`/bookings/${id}`);

    await page.getByRole('link', { name: `booking-${id}` }).click();
    await page.waitForURL(`**/admin/workflows/booking-${id}`);
    expect(await page.getByTestId('workflow-entity').innerText()).to.match(new RegExp(`^#${id} .+ for .+`));
    expect(await page.getByLabel('Where the workflow waits').innerText()).to.contain('workflows/booking/workflow.ts');
  });

  it('keeps people who are not admins out', async () => {
    await signInAs('customer');
    await page.goto('/admin/workflows');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('That page is for administrators.').waitFor();
    expect(await page.getByRole('heading', { name: 'Admin' }).count()).to.equal(0);
  });
});
