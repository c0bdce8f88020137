import { expect } from 'chai';
import { useBrowser } from '../support/browser.ts';
import { addMember, createOrg, createUser, PASSWORD, platformApp, signIn } from '../api/platform/helpers.ts';
import { testDb } from '../support/app.ts';

describe('team page: roles', () => {
  const browser = useBrowser();

  it('asks before changing a role, and keeps the stored one when the person says no', async () => {
    const { app } = platformApp();
    const ownerRow = await createUser('customer', 'owner');
    const orgId = await createOrg(await signIn(app, ownerRow), 'Role Players');
    const member = await createUser('customer', 'mira');
    await addMember(orgId, member.id, 'member');

    const page = browser.page;
    await page.goto('/sign-in?next=/team');
    await page.getByLabel('Email').fill(ownerRow.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/team');
    const role = page.getByLabel(`Role of ${member.name}`);
    await role.waitFor();

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
