import { expect } from 'chai';
import { signOutThroughUi, signUpThroughUi, useBrowser } from '../support/browser.ts';
import { testDb } from '../support/app.ts';

/** The accept link from the invitation email, as the dev outbox kept it. */
async function invitationPath(to: string): Promise<string> {
  const mail = await testDb()('dev_outbox').where({ to_address: to }).orderBy('id', 'desc').first();
  const match = /\/invitations\/[\w-]+/.exec(String(mail?.text_body));
  if (!match) throw new Error(`no invitation link in the mail to ${to}`);
  return match[0];
}

describe('web app: accepting an invitation', () => {
  const browser = useBrowser();

  it('lets an invited person create an account from the link, join as a member, and not see admin pages', async () => {
    const page = browser.page;
    const stamp = Date.now();
    const invitee = `bob.${stamp}@example.com`;

    await signUpThroughUi(page, 'Olga Owner', `olga.${stamp}@example.com`);
    await page.goto('/orgs/new');
    await page.getByLabel('Organization name').fill(`Olga's Plumbing ${stamp}`);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL('**/team');
    await page.getByLabel('Email').fill(invitee);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByTestId('pending-invitations').getByText(invitee).waitFor();
    await signOutThroughUi(page);

    // Signed out, the link still shows what it invites to, and offers to create the account.
    await page.goto(await invitationPath(invitee));
    expect(await page.getByTestId('invitation-org').innerText()).to.equal(`Olga's Plumbing ${stamp}`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    expect(await page.getByLabel('Email').inputValue()).to.equal(invitee);
    await signUpThroughUi(page, 'Bob Builder', invitee);
    await page.getByRole('button', { name: 'Accept invitation' }).click();

    await page.waitForURL('**/team');
    await page.getByText(`You joined Olga's Plumbing ${stamp}.`).waitFor();
    const members = page.getByTestId('member-row');
    await members.filter({ hasText: 'Olga Owner' }).waitFor();
    expect(await members.filter({ hasText: 'Bob Builder' }).innerText()).to.match(/member/i);
    // A member neither manages invitations nor sees the API keys.
    expect(await page.getByRole('heading', { name: 'Invitations' }).count()).to.equal(0);

    await page.goto('/admin/users');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('That page is for administrators.').waitFor();
  });
});
