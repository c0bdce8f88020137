import { expect } from 'chai';
import { outboxMailer } from '../../runtime/mail/outbox-mailer.ts';
import { testDb } from '../support/app.ts';
import { useBrowser } from '../support/browser.ts';
import { uniqueEmail } from '../api/platform/helpers.ts';

describe('dev outbox page', () => {
  const browser = useBrowser();

  it("finds a provider's booking link among a store's alerts, then empties the outbox", async () => {
    const provider = uniqueEmail('paul');
    const merchant = uniqueEmail('mia');
    const outbox = outboxMailer(testDb());
    await outbox.send({ to: provider, subject: 'New booking request: Wall painting', text: 'Accept: http://127.0.0.1:9/respond/accept-token', idempotencyKey: 'booking:71:confirm:2' });
    for (let i = 0; i < 12; i += 1) await outbox.send({ to: merchant, subject: `Low stock: Mug ${i}`, text: 'Only 2 left', idempotencyKey: `store-alert:${1000 + i}:9` });

    const page = browser.page;
    const subjects = () => page.getByTestId('outbox-subject').allInnerTexts();
    await page.goto('/dev/outbox');
    await page.getByTestId('outbox-mail').first().waitFor();
    // Other tests' actors may still be mailing: each look is narrowed to this test's people.
    await page.getByLabel('Recipient').selectOption(merchant);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="outbox-mail"]').length === 12);
    expect((await subjects())[0], 'newest first').to.equal('Low stock: Mug 11');

    await page.getByLabel('Recipient').selectOption(provider);
    await page.getByLabel('Kind').selectOption('booking');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="outbox-mail"]').length === 1);
    expect(await subjects()).to.deep.equal(['New booking request: Wall painting']);
    expect(await page.getByRole('link', { name: /respond\/accept-token/ }).count()).to.equal(1);

    await page.getByRole('button', { name: 'Show all' }).click();
    await page.getByLabel('Recipient').selectOption(merchant);
    await page.getByLabel('Search mail').fill('mug 7');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="outbox-mail"]').length === 1);
    expect(await subjects()).to.deep.equal(['Low stock: Mug 7']);

    await page.getByRole('button', { name: 'Empty outbox' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Empty outbox' }).click();
    await page.getByText('No mail yet').waitFor();
  });
});
