import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openSignedIn, useBrowser } from '../support/browser.ts';
import { addMember, createOrg, createUser, PASSWORD, platformApp, signIn } from '../api/platform/helpers.ts';
import { testDb } from '../support/app.ts';

/** The owner of a new organization with one member, signed in on its Team page: the member and their role select. */
async function ownerOnTeamPage(page: Page, orgName: string, memberName: string) {
  const { app } = platformApp();
  const ownerRow = await createUser('customer', 'owner');
  const orgId = await createOrg(await signIn(app, ownerRow), orgName);
  const member = await createUser('customer', memberName);
  await addMember(orgId, member.id, 'member');
  await page.goto('/sign-in?next=/team');
  await page.getByLabel('Email').fill(ownerRow.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/team');
  const role = page.getByLabel(`Role of ${member.name}`);
  await role.waitFor();
  return { orgId, member, role };
}

describe('team page: roles', () => {
  const browser = useBrowser();

  it('asks before changing a role, and keeps the stored one when the person says no', async () => {
    const page = browser.page;
    const { orgId, member, role } = await ownerOnTeamPage(page, 'Role Players', 'mira');

    await role.selectOption('admin');
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Make ${member.name} an admin?`).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).first().click();
    expect(await role.inputValue()).to.equal('member');
    expect(await testDb()('memberships').where({ organization_id: orgId, user_id: member.id }).first('role')).to.deep.equal({ role: 'member' });

    await role.selectOption('admin');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await page.getByText(`${member.name} is now an admin.`).waitFor();
    expect(await testDb()('memberships').where({ organization_id: orgId, user_id: member.id }).first('role')).to.deep.equal({ role: 'admin' });
  });
});

describe('team page: a role changed again right after a Cancel', () => {
  const browser = useBrowser();

  it('keeps the second confirmation open: the first one\'s late close event does not decline it', async () => {
    const page = browser.page;
    const { orgId, member, role } = await ownerOnTeamPage(page, 'Quick Changers', 'quinn');
    await role.selectOption('admin');
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Make ${member.name} an admin?`).waitFor();
    // Cancel, and change the role again before the closed dialog's close event (a task later) has come.
    await page.evaluate(async (label) => {
      const cancel = [...document.querySelectorAll('dialog button')].find((b) => b.textContent?.trim() === 'Cancel') as HTMLButtonElement;
      cancel.click();
      for (let i = 0; i < 3; i++) await Promise.resolve(); // the app closes the dialog in its next microtask flush
      const select = document.querySelector(`select[aria-label="${label}"]`) as HTMLSelectElement;
      select.value = 'admin';
      select.dispatchEvent(new Event('change'));
    }, `Role of ${member.name}`);
    await page.waitForTimeout(200);
    await dialog.getByRole('button', { name: 'Change role' }).click({ timeout: 2_000 });
    await page.getByText(`${member.name} is now an admin.`).waitFor();
    expect(await testDb()('memberships').where({ organization_id: orgId, user_id: member.id }).first('role')).to.deep.equal({ role: 'admin' });
  });
});

describe('team page: live updates', () => {
  const browser = useBrowser();

  it('shows the new member to an owner watching the Team page the moment the invitee accepts', async () => {
    const { app } = platformApp();
    const ownerRow = await createUser('customer', 'owner');
    await createOrg(await signIn(app, ownerRow), 'Live Crew');
    const invitee = await createUser('customer', 'newcomer');

    const owner = browser.page;
    await owner.goto('/sign-in?next=/team');
    await owner.getByLabel('Email').fill(ownerRow.email);
    await owner.getByLabel('Password').fill(PASSWORD);
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.getByRole('button', { name: 'Send invitation' }).waitFor();
    await owner.getByLabel('Email').fill(invitee.email);
    await owner.getByRole('button', { name: 'Send invitation' }).click();
    await owner.getByTestId('pending-invitations').getByText(invitee.email).waitFor();

    // The invitee, in a browser of their own, accepts while the owner's page stays as it is.
    const mail = await testDb()('dev_outbox').where({ to_address: invitee.email }).orderBy('id', 'desc').first();
    const link = /\/invitations\/[\w-]+/.exec(String(mail?.text_body))![0];
    const { context, page: other } = await openSignedIn(owner.context().browser()!, browser.baseUrl, invitee.email, link);
    try {
      await other.getByRole('button', { name: 'Accept invitation' }).click();
      await other.waitForURL('**/team');
    } finally {
      await context.close();
    }

    const row = owner.getByTestId('member-row').filter({ hasText: invitee.name });
    await row.waitFor();
    expect(await row.innerText()).to.match(/member/i);
    await owner.getByTestId('pending-invitations').getByText(invitee.email).waitFor({ state: 'detached' });
  });
});
