import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import type { RunningApi } from '../../api/server.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn, startTestApi } from '../support/browser.ts';
import { createOrg, createUser, signIn } from '../api/platform/helpers.ts';
import { closedPort, startReceiver, type Receiver } from '../api/jobs/support.ts';
import { testContext } from '../support/app.ts';
import { createApp } from '../../api/app.ts';

/**
 * The job form's "Send test request": before saving, a person sends the request as they typed it
 * to a receiver on 127.0.0.1 and sees its status, time, headers and the start of the body; the
 * job is not created by it.
 */
describe('web app: job form test request', function () {
  this.timeout(90_000);
  let api: RunningApi;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(async function () {
    this.timeout(180_000);
    [api, receiver] = await Promise.all([startTestApi(), startReceiver(), ensureWebAppBuilt()]);
    browser = await launchChromium();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await api?.close();
    await receiver?.close();
  });

  it('sends the form’s request once and shows status, time, headers and the first kilobyte of the body', async () => {
    const owner = await createUser('customer', 'tessa');
    await createOrg(await signIn(createApp(testContext()), owner), 'Test Sends Ltd');
    receiver.respond = () => ({ status: 202, body: `{"queued":true,"pad":"${'p'.repeat(2000)}"}`, headers: { 'Content-Type': 'application/json', 'X-Request-Seen': 'once' } });

    let page;
    ({ context, page } = await openSignedIn(browser, api.url, owner.email, '/jobs/new'));
    const panel = page.getByTestId('test-request');
    // Nothing to send to yet.
    expect(await panel.getByRole('button', { name: 'Send test request' }).isDisabled()).to.equal(true);
    await page.getByLabel('URL').fill(`${receiver.url}/hook`);
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Body', { exact: true }).fill('{"from":"test"}');
    await panel.getByRole('button', { name: 'Send test request' }).click();

    const result = page.getByTestId('test-request-result');
    await result.getByTestId('test-request-status').filter({ hasText: '202' }).waitFor();
    expect(await result.getByTestId('test-request-time').textContent()).to.match(/^in \d+(\.\d)? m?s$/);
    expect(await result.getByTestId('test-request-headers').textContent()).to.contain('x-request-seen').and.contain('once');
    const body = await result.getByTestId('test-request-body').textContent();
    expect(body).to.match(/^\{"queued":true,"pad":"p+$/);
    expect(Buffer.byteLength(body!)).to.equal(1024);
    await result.getByText('The first 1,024 bytes of the body.').waitFor();

    expect(receiver.received).to.have.length(1);
    expect(receiver.received[0].body.toString()).to.equal('{"from":"test"}');
    expect(receiver.received[0].headers).to.include({ 'content-type': 'application/json', 'x-pulseboard-test': 'true' });
    // Still the unsaved form.
    expect(new URL(page.url()).pathname).to.equal('/jobs/new');

    // A target that does not answer says so where the answer would be.
    receiver.respond = () => ({ status: 200 });
    await page.getByLabel('URL').fill(`http://127.0.0.1:${await closedPort()}/unreachable`);
    await panel.getByRole('button', { name: 'Send test request' }).click();
    await result.getByTestId('test-request-status').filter({ hasText: 'No answer' }).waitFor();
    await page.screenshot({ path: '/tmp/h20b-test-request.png', fullPage: true });
  });
});
