import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { testDb } from '../support/app.ts';
import { boardCard, boardColumn, useBoardBrowsers } from '../support/board-browser.ts';
import { addMember, createUser } from '../api/platform/helpers.ts';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';

/** Two people on one board, each in their own browser: one drags a card, the other sees it move and sees who is there. */
describe('web app: a board shared live', () => {
  const { signedInPage, projectWithCards } = useBoardBrowsers();

  const column = boardColumn;
  const card = boardCard;

  it('moves a card on one screen and shows it moved, with the mover’s presence, on the other', async function () {
    this.timeout(60_000);
    const owner = await createUser('customer', 'olivia');
    const admin = await createUser('admin', 'adam');
    const path = await projectWithCards(owner, ['Dig the bed', 'Plant roses', 'Lay turf']);
    const mover = await signedInPage(owner, path);
    const watcher = await signedInPage(admin, path);
    await card(watcher, 'Plant roses').waitFor();

    // The watcher sees who else is on the board, and which card they have open.
    await watcher.getByTestId('board-viewers').getByLabel('Test olivia').waitFor();
    await card(mover, 'Plant roses').click();
    await mover.getByRole('dialog').waitFor();
    await card(watcher, 'Plant roses').getByTestId('card-editing').filter({ hasText: 'Test olivia is editing' }).waitFor();
    await mover.getByRole('button', { name: 'Close', exact: true }).click();
    await card(watcher, 'Plant roses').getByTestId('card-editing').waitFor({ state: 'detached' });

    // Drag "Plant roses" into In progress.
    await card(mover, 'Plant roses').dragTo(column(mover, 'In progress').locator('.flex.flex-col.gap-2'));
    await column(watcher, 'In progress').getByText('Plant roses').waitFor();
    expect(await column(watcher, 'To do').getByTestId('task-card').allInnerTexts()).to.have.length(2);
    expect(await column(watcher, 'In progress').getByTestId('column-count').innerText()).to.equal('1');

    // With the keyboard: focus "Lay turf" and move it up above "Dig the bed".
    await card(mover, 'Lay turf').focus();
    await mover.keyboard.press('Alt+ArrowUp');
    await expectTitles(watcher, 'To do', ['Lay turf', 'Dig the bed']);
  });

  it('adds, renames, limits and deletes columns, and gives a card a due time and an assignee, each seen live on the other screen', async function () {
    this.timeout(60_000);
    const owner = await createUser('customer', 'olga');
    const admin = await createUser('admin', 'abel');
    // Olga's colleague is on no card yet: only the board's list of assignees offers him.
    const colleague = await createUser('customer', 'otto');
    await addMember((await insertOrganizationWithOwner(testDb(), 'Olga & Otto', owner.id)).id, colleague.id, 'member');
    const path = await projectWithCards(owner, ['Order seeds', 'Water daily']);
    const editor = await signedInPage(owner, path);
    const watcher = await signedInPage(admin, path);
    await card(watcher, 'Order seeds').waitFor();

    await editor.getByRole('textbox', { name: 'New column' }).fill('Review');
    await editor.getByRole('button', { name: 'Add the column' }).click();
    await column(watcher, 'Review').waitFor();

    // Renamed with a WIP limit of 1: two cards in it are over the limit, on both screens.
    await column(editor, 'Review').getByRole('button', { name: 'Settings of Review' }).click();
    const settings = editor.getByRole('form', { name: 'Settings of Review' });
    await settings.getByLabel('Name').fill('Waiting on review');
    await settings.getByLabel('WIP limit (empty for none)').fill('1');
    await settings.getByRole('button', { name: 'Save' }).click();
    const renamed = column(watcher, 'Waiting on review');
    await renamed.getByTestId('column-count').filter({ hasText: '0 / 1' }).waitFor();
    for (const title of ['Order seeds', 'Water daily']) await card(editor, title).dragTo(column(editor, 'Waiting on review').locator('.flex.flex-col.gap-2'));
    await renamed.getByText('Over the WIP limit of 1').waitFor();

    // A column with cards stays, with the reason; an empty one goes, on both screens.
    await column(editor, 'Waiting on review').getByRole('button', { name: 'Settings of Waiting on review' }).click();
    await column(editor, 'Waiting on review').getByRole('button', { name: 'Delete column' }).click();
    await editor.getByText('Move or delete the cards in this column first.').waitFor();
    await column(editor, 'Done').getByRole('button', { name: 'Settings of Done' }).click();
    await column(editor, 'Done').getByRole('button', { name: 'Delete column' }).click();
    await column(watcher, 'Done').waitFor({ state: 'detached' });
    await column(watcher, 'Waiting on review').waitFor();

    // Due on 6 May 2031 at 09:30 and given to her colleague: the watcher's card shows both. The
    // choices are the editor and her colleague, not the admin who is only watching.
    await card(editor, 'Water daily').click();
    const dialog = editor.getByRole('dialog');
    await dialog.getByLabel('Due').fill('2031-05-06T09:30');
    const assignee = dialog.getByLabel('Assigned to');
    await assignee.locator('option', { hasText: 'Test otto' }).waitFor({ state: 'attached' });
    expect(await assignee.locator('option').allInnerTexts()).to.deep.equal(['Nobody', 'Test olga (me)', 'Test otto']);
    await assignee.selectOption({ label: 'Test otto' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const watched = card(watcher, 'Water daily');
    await watched.getByTitle('Assigned to Test otto').waitFor();
    expect(await watched.locator('time').getAttribute('datetime')).to.match(/^2031-05-06T\d{2}:30/);

    // Reopened, the dialog shows what was saved; "Nobody" takes the card back.
    await card(editor, 'Water daily').click();
    expect(await dialog.getByLabel('Due').inputValue()).to.equal('2031-05-06T09:30');
    await dialog.getByLabel('Assigned to').selectOption({ label: 'Nobody' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await watched.getByTitle('Assigned to Test otto').waitFor({ state: 'detached' });
  });

  async function expectTitles(page: Page, columnName: string, titles: string[]): Promise<void> {
    const cards = column(page, columnName).getByTestId('task-card').locator('h3');
    for (let tries = 0; tries < 50; tries += 1) {
      if (JSON.stringify(await cards.allInnerTexts()) === JSON.stringify(titles)) return;
      await page.waitForTimeout(100);
    }
    expect(await cards.allInnerTexts()).to.deep.equal(titles);
  }
});
