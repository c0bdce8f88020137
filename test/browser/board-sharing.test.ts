import { expect } from 'chai';
import { testDb } from '../support/app.ts';
import { boardCard, boardColumn, useBoardBrowsers } from '../support/board-browser.ts';
import { placeBookingTask } from '../../db/repositories/board-tasks.ts';
import { insertBookingRow, signedInProvider, createService } from '../api/catalog/support.ts';
import { addMember, createOrg, platformApp, signedInAs, type Session } from '../api/platform/helpers.ts';

/** Boards shared: a provider gives a technician their bookings board; a person makes, renames and archives boards. */
describe('web app: many boards, shared', () => {
  const { signedInPage } = useBoardBrowsers();


  const column = boardColumn;
  const card = boardCard;

  async function bookingCard(provider: Session, serviceId: number, title: string, day: number): Promise<number> {
    const start = new Date(Date.now() + day * 86_400_000);
    const bookingId = await insertBookingRow({ serviceId, providerId: provider.user.id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), state: 'accepted' });
    const placed = await testDb().transaction((trx) => placeBookingTask(trx, { id: bookingId, providerId: provider.user.id, providerName: provider.user.name, title, description: '', dueAt: start }, 'accepted'));
    return placed!.taskId;
  }

  it('lets a technician see only the bookings assigned to them, live, and move them through the work columns', async function () {
    this.timeout(90_000);
    const { app } = platformApp();
    const provider = await signedInProvider(app);
    const technician = await signedInAs(app, 'customer');
    await addMember(await createOrg(provider, 'Pipes Ltd'), technician.user.id, 'member');
    const service = await createService(provider, { title: 'Tap repair' });
    const theirs = await bookingCard(provider, service.id, 'Tap repair at Mills', 2);
    const other = await bookingCard(provider, service.id, 'Tap repair at Jones', 3);
    const board = (await provider.agent.get('/api/v1/boards/mine').expect(200)).body;
    await provider.agent.post(`/api/v1/boards/${board.id}/columns`).set('X-CSRF-Token', provider.csrf).send({ name: 'On site', afterColumnId: board.columns[1].id }).expect(201);

    // The provider shares the board and gives one booking to the technician, in the app.
    const owner = await signedInPage(provider.user, '/board');
    await card(owner, 'Tap repair at Mills').getByTestId('booking-state').filter({ hasText: /accepted/i }).waitFor();
    await owner.getByRole('button', { name: 'Board settings' }).click();
    const settings = owner.getByRole('dialog', { name: 'Board settings' });
    await settings.getByLabel('Person').selectOption({ label: technician.user.name });
    await settings.getByLabel('Role', { exact: true }).selectOption('technician');
    await settings.getByRole('button', { name: 'Add', exact: true }).click();
    await settings.getByTestId('board-members').getByText(technician.user.name).waitFor();
    await settings.getByRole('button', { name: 'Close' }).click();
    await provider.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', provider.csrf).send({ taskId: theirs, assigneeId: technician.user.id, version: 1 }).expect(200);

    const tech = await signedInPage(technician.user, `/boards/${board.id}`);
    await card(tech, 'Tap repair at Mills').waitFor();
    expect(await tech.getByTestId('task-card').count()).to.equal(1);
    await tech.getByText('the cards assigned to you').waitFor();
    expect(await tech.getByRole('textbox', { name: 'New column' }).count()).to.equal(0);

    // A booking given to the technician arrives on their board live, and leaves it when taken back.
    const given = (await provider.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', provider.csrf).send({ taskId: other, assigneeId: technician.user.id, version: 1 }).expect(200)).body;
    await card(tech, 'Tap repair at Jones').waitFor();
    await provider.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', provider.csrf).send({ taskId: other, assigneeId: null, version: given.version }).expect(200);
    await card(tech, 'Tap repair at Jones').waitFor({ state: 'detached' });

    await card(tech, 'Tap repair at Mills').dragTo(column(tech, 'On site').locator('.flex.flex-col.gap-2'));
    await column(owner, 'On site').getByText('Tap repair at Mills').waitFor();
    // Done is a booking step: the provider's to take. The card snaps back with the reason.
    await card(tech, 'Tap repair at Mills').dragTo(column(tech, 'Done').locator('.flex.flex-col.gap-2'));
    await tech.getByText('Only the provider or an admin may change a booking from the board.').waitFor();
    await column(tech, 'On site').getByText('Tap repair at Mills').waitFor();
  });

  it('makes, switches, renames and archives boards from the switcher and the settings', async function () {
    this.timeout(90_000);
    const { app } = platformApp();
    const owner = await signedInAs(app, 'customer');
    await owner.agent.post('/api/v1/projects').set('X-CSRF-Token', owner.csrf).send({ name: 'Home' }).expect(201);
    const page = await signedInPage(owner.user, '/board');
    await page.getByTestId('board-column').first().waitFor();

    await page.getByRole('button', { name: 'Switch board' }).click();
    await page.getByRole('button', { name: 'New board' }).click();
    await page.getByLabel('Board name').fill('Garden');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/boards\/\d+$/);
    await page.getByRole('button', { name: 'Switch board' }).filter({ hasText: 'Garden' }).waitFor();

    await page.getByRole('button', { name: 'Board settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Board settings' });
    await settings.getByLabel('Name', { exact: true }).fill('Back garden');
    await settings.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('button', { name: 'Switch board' }).filter({ hasText: 'Back garden' }).waitFor();
    await settings.getByRole('button', { name: 'Archive the board' }).click();
    await page.getByText('This board is archived').waitFor();
    await settings.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Switch board' }).click();
    const boards = page.getByRole('navigation', { name: 'Boards' });
    await boards.getByRole('link', { name: /^Board/ }).waitFor();
    expect(await boards.getByRole('link', { name: /Back garden/ }).count()).to.equal(0);
    await page.getByLabel('Show archived boards').check();
    await boards.getByRole('link', { name: /Back garden/ }).waitFor();
    await boards.getByRole('link', { name: /^Board/ }).click();
    await page.getByRole('button', { name: 'Switch board' }).filter({ hasText: /^Board/ }).waitFor();
    await page.screenshot({ path: '/tmp/h21-switch.png' });
  });
});
