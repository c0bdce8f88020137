import { expect } from 'chai';
import { useBrowser } from '../support/browser.ts';
import { createOrg, platformApp, signedInAs } from '../api/platform/helpers.ts';

describe('API reference (/api/docs)', () => {
  const browser = useBrowser({ viewport: { width: 1366, height: 900 } });

  it("lists the operations by tag and runs one with an organization's API key", async () => {
    // An API client's view: a key made by the organization's owner, and no session in the browser.
    const { app } = platformApp();
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner, 'Reference Readers');
    const { body: key } = await owner.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', owner.csrf).send({ name: 'Docs' }).expect(201);

    const page = browser.page;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/api/docs');
    await page.getByRole('heading', { name: /Pulseboard/ }).first().waitFor();
    for (const tag of ['bookings', 'jobs', 'stores']) await page.locator(`#operations-tag-${tag}`).waitFor();
    // Descriptions are Markdown, shown formatted: no raw backticks left on the page.
    expect(await page.locator('.information-container').innerText()).to.not.contain('`');

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.modal-ux');
    const scheme = dialog.locator('form', { hasText: 'bearerApiKey' });
    await scheme.locator('input').fill(key.key);
    await scheme.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    await page.locator('#operations-tag-jobs').click();
    const listJobs = page.locator('.opblock-get', { has: page.locator('[data-path="/api/v1/orgs/{orgId}/jobs"]') });
    await listJobs.locator('.opblock-summary').click();
    await listJobs.locator('input[placeholder="orgId"]').fill(String(orgId));
    await listJobs.getByRole('button', { name: 'Execute' }).click();
    const response = listJobs.locator('.live-responses-table .response').first();
    await response.waitFor();
    expect(await response.locator('.response-col_status').innerText()).to.contain('200');
    expect(await response.locator('.response-col_description').innerText()).to.match(/"items":\s*\[\]/).and.match(/"total":\s*0/);
    expect(errors).to.deep.equal([]);
  });
});
