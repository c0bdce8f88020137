import { expect } from 'chai';
import { signOutThroughUi, signUpThroughUi, TEST_PASSWORD, useBrowser } from '../support/browser.ts';

describe('web app: account, organization, invitations and API keys', () => {
  const browser = useBrowser();
  const email = `ada.${Date.now()}@example.com`;

  it('signs up, signs in, creates an organization, invites, creates an API key, signs out', async () => {
    const page = browser.page;

    // Signed out, the app sends you to sign in; from there you can create an account.
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await signUpThroughUi(page, 'Ada Lovelace', email);
    await page.getByRole('heading', { name: /Good \w+, Ada/ }).waitFor();

    await signOutThroughUi(page);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Good \w+, Ada/ }).waitFor();

    // A new customer belongs to no organization: home is theirs (finding services, upcoming bookings), and so is
    // the navigation; a team's parts come with an organization, made from the account menu.
    const cardTitles = (group: string) => page.getByRole('group', { name: group }).getByRole('heading').allInnerTexts();
    await page.getByRole('heading', { name: 'Your upcoming bookings' }).waitFor();
    await page.getByRole('button', { name: 'Find a service' }).waitFor();
    const mainNav = page.getByRole('navigation', { name: 'Main' });
    expect(await mainNav.getByRole('link').allInnerTexts()).to.deep.equal(['Home', 'Services', 'My bookings']);
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'New organization' }).click();
    await page.getByLabel('Organization name').fill('Lovelace Analytics');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL('**/team');
    await page.getByRole('cell', { name: /Ada Lovelace/ }).waitFor();
    expect(await page.getByTestId('org-switcher').first().innerText()).to.contain('Lovelace Analytics');

    await page.getByLabel('Email').fill('charles@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const pending = page.getByTestId('pending-invitations');
    await pending.getByText('charles@example.com').waitFor();
    expect(await pending.innerText()).to.match(/admin/i);

    // The key is shown once, in full; afterwards only its prefix is ever on screen.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('CI pipeline');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('secret-value').inputValue();
    expect(secret).to.match(/^pk_live_\w+\.\S+$/);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    const keys = page.getByTestId('api-keys');
    await keys.getByText('CI pipeline').waitFor();
    const prefix = secret.slice(0, secret.indexOf('.'));
    expect(await keys.innerText()).to.contain(prefix);
    expect(await page.content()).not.to.contain(secret);
    await page.reload();
    await keys.getByText('CI pipeline').waitFor();
    expect(await page.content()).not.to.contain(secret);

    // Home now leads into the organization's parts too, and the navigation to the team's.
    expect(await mainNav.getByRole('link').allInnerTexts()).to.include.members(['Team', 'Board', 'API keys']);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('group', { name: 'Lovelace Analytics' }).waitFor();
    expect(await cardTitles('Lovelace Analytics')).to.deep.equal(['Stores', 'Jobs', 'Team', 'API keys']);

    await signOutThroughUi(page);
    // Signed out, a private page sends you to sign in and back there afterwards.
    await page.goto('/team');
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/team');
  });
});
