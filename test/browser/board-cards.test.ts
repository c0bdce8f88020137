import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { testDb } from '../support/app.ts';
import { boardCard, useBoardBrowsers } from '../support/board-browser.ts';
import { addMember, createUser } from '../api/platform/helpers.ts';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';

/** Two people on one card, each in their own browser: comments, mentions, checklists and a description both edit. */
describe('web app: working on a card together', () => {
  const { signedInPage, projectWithCards } = useBoardBrowsers();

  const card = boardCard;

  async function openCard(page: Page, title: string) {
    await card(page, title).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    return dialog;
  }

  it('shows each one’s comments to the other live, and an @mention reaches the person in the app and by email', async function () {
    this.timeout(90_000);
    const owner = await createUser('customer', 'priya');
    const admin = await createUser('admin', 'arjun');
    const colleague = await createUser('customer', 'chen');
    await addMember((await insertOrganizationWithOwner(testDb(), 'Priya & Chen', owner.id)).id, colleague.id, 'member');
    const path = await projectWithCards(owner, [{ title: 'Paint the counter' }, { title: 'Order the sign', dueAt: '2020-01-02T09:00:00Z' }]);
    // Chen is on the board as a viewer: a mention reaches those who can open the card.
    const projectId = Number(/\/projects\/(\d+)/.exec(path)![1]);
    const boardId = (await testDb()('boards').where({ project_id: projectId }).first('id')).id;
    await testDb()('board_members').insert({ board_id: boardId, user_id: colleague.id, role: 'viewer' });
    const priya = await signedInPage(owner, path);
    const arjun = await signedInPage(admin, path);
    const chen = await signedInPage(colleague, '/');

    // A due time that has passed is marked on the card's face.
    await card(arjun, 'Order the sign').getByText('Overdue').waitFor();

    // One click opens the card; each sees that the other has it open.
    const mine = await openCard(priya, 'Paint the counter');
    const theirs = await openCard(arjun, 'Paint the counter');
    await theirs.getByTestId('card-viewers').filter({ hasText: 'Test priya is viewing this card' }).waitFor();
    await mine.getByTestId('card-viewers').filter({ hasText: 'Test arjun is viewing this card' }).waitFor();

    await mine.getByLabel('Mention someone').selectOption({ label: 'Test chen' });
    await mine.getByLabel('Write a comment').pressSequentially('can you pick the colour?');
    await mine.getByRole('button', { name: 'Comment' }).click();
    await theirs.getByTestId('card-comment').filter({ hasText: '@Test chen can you pick the colour?' }).waitFor();

    await theirs.getByLabel('Write a comment').fill('Primer goes on first.');
    await theirs.getByRole('button', { name: 'Comment' }).click();
    await mine.getByTestId('card-comment').filter({ hasText: 'Primer goes on first.' }).waitFor();
    expect(await mine.getByTestId('card-comment').allInnerTexts()).to.have.length(2);
    await theirs.getByTestId('card-activity').getByText('Test priya commented').waitFor();

    // Chen, elsewhere in the app, is told at once, and by email.
    await chen.getByTestId('notification-unread').filter({ hasText: '1' }).waitFor();
    await chen.getByTestId('notification-bell').click();
    await chen.getByText('Test priya mentioned you on “Paint the counter”').click();
    await chen.waitForURL(/\/boards\/\d+\?card=\d+/);
    const mail = await testDb()('dev_outbox').where({ to_address: colleague.email }).first('subject', 'text_body');
    expect(mail.subject).to.equal('Test priya mentioned you on “Paint the counter”');
    expect(mail.text_body).to.contain('can you pick the colour?').and.match(/\/boards\/\d+\?card=\d+/);

    // A checklist ticked in one dialog shows its progress on the other's card face.
    await mine.getByLabel('New checklist item').fill('Sand');
    await mine.getByRole('button', { name: 'Add item' }).click();
    await mine.getByLabel('New checklist item').fill('Prime');
    await mine.getByRole('button', { name: 'Add item' }).click();
    await theirs.getByRole('checkbox', { name: 'Prime' }).waitFor();
    await mine.getByRole('checkbox', { name: 'Sand' }).check();
    await theirs.getByRole('checkbox', { name: 'Sand' }).and(theirs.locator(':checked')).waitFor();
    await arjun.getByRole('button', { name: 'Close', exact: true }).click();
    await card(arjun, 'Paint the counter').getByTestId('card-checklist').filter({ hasText: '1/2' }).waitFor();
    expect(await card(arjun, 'Paint the counter').getByTestId('card-comments').innerText()).to.contain('2');
  });

  it('shows both texts when two people save one card’s description, and loses neither', async function () {
    this.timeout(90_000);
    const owner = await createUser('customer', 'rosa');
    const admin = await createUser('admin', 'abe');
    const path = await projectWithCards(owner, [{ title: 'Fit the shelves' }]);
    const rosa = await signedInPage(owner, path);
    const abe = await signedInPage(admin, path);

    const mine = await openCard(rosa, 'Fit the shelves');
    const theirs = await openCard(abe, 'Fit the shelves');
    await theirs.getByLabel('Description').fill('Oak, 3 shelves.');
    await mine.getByLabel('Description').fill('Pine, 4 shelves.');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await theirs.waitFor({ state: 'detached' });

    await mine.getByRole('button', { name: 'Save' }).click();
    const conflict = mine.getByTestId('description-conflict');
    await conflict.waitFor();
    expect(await conflict.getByTestId('conflict-theirs').innerText()).to.contain('Oak, 3 shelves.');
    expect(await conflict.getByTestId('conflict-mine').innerText()).to.contain('Pine, 4 shelves.');
    await rosa.screenshot({ path: '/tmp/h21-conflict.png' });

    // Keeping hers saves it over his; his text stays in the card's log as an edit of his.
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await mine.waitFor({ state: 'detached' });
    const reopened = await openCard(abe, 'Fit the shelves');
    expect(await reopened.getByLabel('Description').inputValue()).to.equal('Pine, 4 shelves.');
    await reopened.getByTestId('card-activity').getByText('Test abe edited description').waitFor();
  });

  it('labels cards from the board’s own list, and filters the board by label, due time and text in a link another person can open', async function () {
    this.timeout(90_000);
    const owner = await createUser('customer', 'lena');
    const admin = await createUser('admin', 'amir');
    const path = await projectWithCards(owner, [{ title: 'Wire the lights' }, { title: 'Buy bulbs', dueAt: '2020-03-04T10:00:00Z' }, { title: 'Hang the mirror' }]);
    const lena = await signedInPage(owner, path);
    await card(lena, 'Wire the lights').waitFor();

    await lena.getByRole('button', { name: 'Board settings' }).click();
    const settings = lena.getByRole('dialog', { name: 'Board settings' });
    await settings.getByLabel('New label name').fill('Electrics');
    await settings.getByLabel('New label colour').selectOption('warning');
    await settings.getByRole('button', { name: 'Add label' }).click();
    await settings.getByLabel('Name of label Electrics').waitFor();
    await settings.getByRole('button', { name: 'Close' }).click();

    for (const title of ['Wire the lights', 'Buy bulbs']) {
      const dialog = await openCard(lena, title);
      await dialog.getByRole('group', { name: 'Labels' }).getByRole('button', { name: 'Electrics' }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await card(lena, title).getByTestId('card-label').filter({ hasText: 'Electrics' }).waitFor();
    }
    expect(await card(lena, 'Wire the lights').getByTestId('card-label').getAttribute('class')).to.contain('badge-warning');

    await lena.getByLabel('Label').selectOption('Electrics');
    await lena.getByLabel('Due').selectOption('overdue');
    await lena.waitForURL(/label=Electrics/);
    await lena.waitForURL(/due=overdue/);
    expect(await lena.getByTestId('task-card').locator('h3').allInnerTexts()).to.deep.equal(['Buy bulbs']);

    // The link, opened by someone else, shows the board filtered the same way; text narrows it further.
    const shared = new URL(lena.url());
    const amir = await signedInPage(admin, `${shared.pathname}${shared.search}`);
    await card(amir, 'Buy bulbs').waitFor();
    expect(await amir.getByTestId('task-card').count()).to.equal(1);
    expect(await amir.getByLabel('Label').inputValue()).to.equal('Electrics');
    await amir.getByLabel('Due').selectOption({ label: 'Any time' });
    await amir.getByLabel('Search').fill('wire');
    await amir.waitForURL(/q=wire/);
    expect(await amir.getByTestId('task-card').locator('h3').allInnerTexts()).to.deep.equal(['Wire the lights']);
  });
});
