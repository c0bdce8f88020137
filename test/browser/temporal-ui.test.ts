import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { DATABASE_DOWN, startUiStack, type UiStack } from '../support/temporal-ui.ts';

/** Where a failing run leaves what the browser showed, for a person to look at. */
const SCREENSHOTS = process.env.TEMPORAL_UI_SCREENSHOTS;

describe('Temporal Web UI served by embedded-temporal', function () {
  // The first run on a fresh clone builds the UI (see embedded-temporal/ui/build.ts).
  this.timeout(300_000);
  let stack: UiStack;
  let browser: Browser;
  let page: Page;
  /** The UI's console warnings, over the whole session. */
  const warnings: string[] = [];

  before(async () => {
    stack = await startUiStack({ buildUi: true });
    browser = await launchChromium();
    page = await browser.newPage({ baseURL: stack.server.uiUrl, viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
  });

  afterEach(async function () {
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${this.currentTest!.title.replace(/\W+/g, '-')}.png`, fullPage: true });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("lists the bookings' workflows and finds one by its id", async () => {
    await page.goto('/');
    await page.waitForURL(/\/namespaces\/default\/workflows/);
    const id = stack.stuckBooking.workflowId;
    await page.getByRole('link', { name: id }).waitFor();
    await expect(page.getByRole('link', { name: stack.expiredBooking.workflowId })).to.be.ok;
    await page.getByRole('link', { name: id }).click();
    await page.waitForURL(new RegExp(`/workflows/${id}/[^/]+/history`));
    await page.getByText('bookingWorkflow').first().waitFor();
    await page.getByText('Running').first().waitFor();
    await page.getByText('"responseSlaMinutes": 60').waitFor(); // the input, decoded
    expect(await page.getByText('State Transitions').locator('..').innerText()).to.match(/State Transitions\s+[1-9]\d*/);
  });

  it('shows the history of the run, with the activity it keeps retrying', async () => {
    await page.getByText(/Workflow ?Execution ?Started/).first().waitFor();
    await page.getByText('recordBookingTransition').first().waitFor();
  });

  it('shows the pending activity with its last failure', async () => {
    await page.getByRole('tab', { name: /Pending Activities/ }).click();
    await page.waitForURL(/pending-activities/);
    await page.getByText('recordBookingTransition').first().waitFor();
    await page.getByText(/of Unlimited/).waitFor(); // its attempts so far
    await page.getByRole('button', { name: /Last Failure/ }).click();
    await page.getByText(DATABASE_DOWN).first().waitFor();
  });

  it("shows the workflow's call stack, as the worker reports it", async () => {
    await page.getByRole('tab', { name: /Call Stack/ }).click();
    await page.waitForURL(/call-stack/);
    // The SDK's stack trace names the workflow's functions where it waits: on the transition's activity.
    await page.getByText(/at applyIfStill \(.*workflows\/booking\/workflow\.ts/).first().waitFor();
  });

  it("answers the booking's state query from the Queries tab", async () => {
    await page.getByRole('tab', { name: /Queries/ }).click();
    await page.waitForURL(/query/);
    await page.getByRole('button', { name: 'Run Query' }).click();
    // The actor answers with its snapshot: the hold expired on its timer, the write still retrying.
    await page.getByText('"state": "expired"').waitFor();
    await page.getByText('"action": "expire"').waitFor();
  });

  it('shows the history as JSON, event by event', async () => {
    await page.getByRole('tab', { name: /History/ }).click();
    await page.waitForURL(/history/);
    await page.getByRole('button', { name: /JSON/ }).click();
    // The events as the server sent them (the editor draws the ones in view): the first, with the input decoded.
    const started = page.locator('.cm-content').filter({ hasText: '"eventType": "WorkflowExecutionStarted"' }).first();
    await started.waitFor();
    const json = await started.innerText();
    expect(json).to.include('"workflowExecutionStartedEventAttributes"').and.include('"name": "bookingWorkflow"').and.include('"responseSlaMinutes": 60');
  });

  it('shows the worker polling the task queue', async () => {
    await page.getByRole('tab', { name: /Workers/ }).click();
    await page.waitForURL(/workers/);
    await page.getByText(stack.taskQueue).first().waitFor();
    await page.getByText(/@/).first().waitFor(); // the SDK's identity is pid@host
  });

  it('shows a workflow whose input holds an undefined (binary/null) value, and the console never warned "Could not parse payload"', async () => {
    // Nobody polls its task queue: it stays as started, with its input as sent.
    const handle = await stack.client.workflow.start('takesOptionalArguments', { args: [undefined, 'given'], taskQueue: `${stack.taskQueue}-unpolled`, workflowId: `binary-null-input-${Date.now()}` });
    try {
      await page.goto(`/namespaces/default/workflows/${handle.workflowId}/${handle.firstExecutionRunId}/history`);
      await page.getByText('takesOptionalArguments').first().waitFor();
      await page.getByText('"given"').first().waitFor();
    } finally {
      await handle.terminate('test done');
    }
    expect(warnings.filter((w) => w.includes('Could not parse payload'))).to.deep.equal([]);
  });

  it('lists a schedule on the Schedules page and shows its spec and upcoming runs', async () => {
    const scheduleId = `nightly-report-${Date.now()}`;
    const schedule = await stack.client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 2, minute: 30, comment: 'nightly' }], timezone: 'Europe/Paris' },
      action: { type: 'startWorkflow', workflowType: 'nightlyReport', taskQueue: `${stack.taskQueue}-unpolled`, workflowId: scheduleId },
      state: { paused: true, note: 'paused by the test' },
    });
    try {
      await page.goto('/namespaces/default/schedules');
      await page.getByRole('link', { name: scheduleId }).click();
      await page.waitForURL(new RegExp(`/schedules/${scheduleId}`));
      await page.getByText('nightlyReport').first().waitFor();
      await page.getByText('paused by the test').first().waitFor();
    } finally {
      await schedule.delete();
    }
    expect(warnings.filter((w) => w.includes('Could not parse payload'))).to.deep.equal([]);
  });
});
