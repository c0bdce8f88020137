import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { useBoardBrowsers } from '../support/board-browser.ts';
import { createUser } from '../api/platform/helpers.ts';

/** Screenshots a person would look at, kept after the run (test/artifacts is not committed). */
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** A provider's bookings board (five columns) on a laptop and on a phone: nothing is cut off. */
describe('web app: the board fits the window', () => {
  const { signedInPage, projectWithCards } = useBoardBrowsers();

  before(() => mkdir(ARTIFACTS, { recursive: true }));

  async function boardAt(width: number, height: number): Promise<Page> {
    const provider = await createUser('provider', `wide${width}`);
    const page = await signedInPage(provider, '/board', { width, height });
    await page.getByTestId('board-column').first().waitFor();
    return page;
  }

  /** Left and right edges of every match, to compare with the window's width. */
  const edges = (page: Page, testId: string) =>
    page.getByTestId(testId).evaluateAll((nodes) => nodes.filter((n) => (n as HTMLElement).offsetParent !== null).map((n) => {
      const box = n.getBoundingClientRect();
      return { name: n.getAttribute('aria-label'), left: box.left, right: box.right };
    }));

  /** A button whose text is clipped reads less than it says (the "Ad" of "Add"). */
  const clipped = (page: Page) =>
    page.locator('button:visible').evaluateAll((nodes) => nodes.filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent?.trim()));

  it('shows every column whole at 1,366 px, with room to add one', async function () {
    this.timeout(60_000);
    const page = await boardAt(1366, 768);
    const columns = await edges(page, 'board-column');
    expect(columns.map((c) => c.name)).to.deep.equal(['Requested', 'Accepted', 'In progress', 'Done', 'Closed']);
    for (const column of columns) expect(column.right, `${column.name} ends inside the window`).to.be.at.most(1366);
    const add = await page.getByRole('button', { name: 'Add the column' }).boundingBox();
    expect(add!.x + add!.width).to.be.at.most(1366);
    expect(await page.getByRole('button', { name: 'Add the column' }).innerText()).to.equal('Add');
    expect(await clipped(page)).to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'board-1366.png'), fullPage: true });
  });

  it('shows one column at a time at 390 px, switched by the columns’ names', async function () {
    this.timeout(60_000);
    const page = await boardAt(390, 844);
    const tabs = page.getByRole('tablist', { name: 'Columns' }).getByRole('tab');
    expect((await tabs.allInnerTexts()).map((t) => t.replace(/\s+\d+$/, ''))).to.deep.equal(['Requested', 'Accepted', 'In progress', 'Done', 'Closed']);
    for (const tab of await edges(page, 'column-tab')) expect(tab.right).to.be.at.most(390);
    expect((await edges(page, 'board-column')).map((c) => c.name)).to.deep.equal(['Requested']);

    await tabs.filter({ hasText: 'Done' }).click();
    const shown = await edges(page, 'board-column');
    expect(shown.map((c) => c.name)).to.deep.equal(['Done']);
    expect(shown[0].left).to.be.at.least(0);
    expect(shown[0].right).to.be.at.most(390);
    expect(await clipped(page)).to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'board-390.png'), fullPage: true });
  });

  it('sets each filter’s name above its field, and ends a card with its checklist, then Close and Save', async function () {
    this.timeout(60_000);
    const owner = await createUser('customer', 'layout');
    const page = await signedInPage(owner, await projectWithCards(owner, ['Sand the shelves']), { width: 1366, height: 768 });
    const filters = page.getByRole('search');
    for (const name of ['Search', 'Assignee', 'Label', 'Due']) {
      const label = await filters.getByText(name, { exact: true }).boundingBox();
      const field = await filters.getByLabel(name).boundingBox();
      expect(label!.y + label!.height, `${name}: its name sits above its field, with a gap`).to.be.lessThan(field!.y);
    }

    await page.getByTestId('task-card').filter({ hasText: 'Sand the shelves' }).click();
    const dialog = page.getByRole('dialog');
    const checklist = await dialog.getByPlaceholder('Add an item').boundingBox();
    const save = await dialog.getByRole('button', { name: 'Save' }).boundingBox();
    expect(checklist!.y + checklist!.height, 'the checklist comes before Save').to.be.lessThan(save!.y);
    // Save still saves the card's form from below the checklist.
    await dialog.getByLabel('Title').fill('Sand and oil the shelves');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('task-card').filter({ hasText: 'Sand and oil the shelves' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'board-card.png') });
  });
});
