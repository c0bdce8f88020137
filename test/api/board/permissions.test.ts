import { expect } from 'chai';
import { testDb } from '../../support/app.ts';
import { placeBookingTask } from '../../../db/repositories/board-tasks.ts';
import { insertBookingRow, signedInProvider, createService } from '../catalog/support.ts';
import { addMember, createOrg, createUser, platformApp, signedInAs, type PlatformApp, type Session } from '../platform/helpers.ts';
import { addCards, createProjectBoard, reorder, titlesByColumn, type BoardBody } from './support.ts';

describe('board API: who may do what', () => {
  let app: PlatformApp['app'];
  let provider: Session;
  let customer: Session;
  let board: BoardBody;
  let bookingTaskId: number;

  before(async () => {
    app = platformApp().app;
    provider = await signedInProvider(app);
    customer = await signedInAs(app, 'customer');
    const service = await createService(provider, { title: 'Boiler service' });
    const start = new Date(Date.now() + 3 * 86_400_000);
    const bookingId = await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), state: 'accepted' });
    const placed = await testDb().transaction((trx) =>
      placeBookingTask(trx, { id: bookingId, providerId: provider.user.id, providerName: provider.user.name, title: 'Boiler service', description: '', dueAt: start }, 'accepted'),
    );
    bookingTaskId = placed!.taskId;
    board = (await provider.agent.get('/api/v1/boards/mine').expect(200)).body;
  });

  it('gives a provider their board with the booking’s customer, service, time and link on its card', async () => {
    const accepted = board.columns.find((column) => column.bookingState === 'accepted')!;
    const card = accepted.tasks.find((task) => task.id === bookingTaskId)!;
    expect(card.booking).to.deep.include({ serviceTitle: 'Boiler service', customerName: 'Test customer' });
    expect((card.booking as { link: string }).link).to.match(/^\/bookings\/\d+$/);
    expect(board.columns.map((column) => column.name)).to.deep.equal(['Requested', 'Accepted', 'In progress', 'Done', 'Closed']);
  });

  it('does not let a customer see or move a provider’s cards', async () => {
    const card = board.columns[1].tasks[0];
    await customer.agent.get(`/api/v1/boards/${board.id}`).expect(404);
    await customer.agent.get(`/api/v1/tasks/${card.id}`).expect(404);
    await reorder(customer, { taskId: card.id, columnId: board.columns[4].id, version: card.version }).expect(404);
    await customer.agent.patch(`/api/v1/tasks/${card.id}`).set('X-CSRF-Token', customer.csrf).send({ version: card.version, title: 'Mine now' }).expect(404);
    await customer.agent.post(`/api/v1/boards/${board.id}/tasks`).set('X-CSRF-Token', customer.csrf).send({ columnId: board.columns[0].id, title: 'Spam' }).expect(404);
    await customer.agent.patch(`/api/v1/columns/${board.columns[0].id}`).set('X-CSRF-Token', customer.csrf).send({ name: 'Hacked' }).expect(404);
    expect((await titlesByColumn(provider, board.id)).Accepted).to.deep.equal(['Boiler service']);
  });

  it('lets an admin work on any board, and nobody into another board’s column', async () => {
    const admin = await signedInAs(app, 'admin');
    const [card] = await addCards(admin, board.id, board.columns[0].id, ['Check gas meter']);
    const other = await createProjectBoard(customer, 'My own project');
    await reorder(admin, { taskId: card.id, columnId: other.columns[0].id, version: card.version }).expect(422);
    await admin.agent.delete(`/api/v1/tasks/${card.id}?version=${card.version}`).set('X-CSRF-Token', admin.csrf).expect(204);
  });

  it('refuses to take a booking back to an earlier state’s column, and to delete a booking’s card', async () => {
    const card = board.columns[1].tasks[0];
    const res = await reorder(provider, { taskId: card.id, columnId: board.columns[0].id, version: card.version }).expect(409);
    expect(res.body.detail).to.match(/cannot go back to Requested/);
    await provider.agent.delete(`/api/v1/tasks/${card.id}?version=${card.version}`).set('X-CSRF-Token', provider.csrf).expect(409);
    expect((await titlesByColumn(provider, board.id)).Accepted).to.deep.equal(['Boiler service']);
  });

  it('manages columns: add with a WIP limit, rename, reorder; refuses removing a booking column or one with cards', async () => {
    const added = await provider.agent.post(`/api/v1/boards/${board.id}/columns`).set('X-CSRF-Token', provider.csrf).send({ name: 'Waiting on parts', wipLimit: 3, afterColumnId: board.columns[1].id }).expect(201);
    await provider.agent.patch(`/api/v1/columns/${added.body.id}`).set('X-CSRF-Token', provider.csrf).send({ name: 'Parts on order' }).expect(200);
    const names = Object.keys(await titlesByColumn(provider, board.id));
    expect(names).to.deep.equal(['Requested', 'Accepted', 'Parts on order', 'In progress', 'Done', 'Closed']);
    await provider.agent.delete(`/api/v1/columns/${board.columns[0].id}`).set('X-CSRF-Token', provider.csrf).expect(409);
    await addCards(provider, board.id, added.body.id, ['Order valve']);
    await provider.agent.delete(`/api/v1/columns/${added.body.id}`).set('X-CSRF-Token', provider.csrf).expect(409);
  });

  it('offers as assignees the board’s people and the editor’s colleagues, and assigns only them', async () => {
    const orgId = await createOrg(provider, 'Boiler crew');
    const colleague = await createUser('provider', 'colleague');
    const former = await createUser('provider', 'former colleague');
    const stranger = await createUser('provider', 'stranger');
    await addMember(orgId, colleague.id, 'member');
    await addMember(orgId, former.id, 'member');
    await testDb()('users').where({ id: former.id }).update({ disabled_at: new Date() });

    const res = await provider.agent.get(`/api/v1/boards/${board.id}/assignees`).expect(200);
    expect(res.body.items).to.deep.equal(
      [
        { id: provider.user.id, name: provider.user.name },
        { id: colleague.id, name: colleague.name },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    await customer.agent.get(`/api/v1/boards/${board.id}/assignees`).expect(404);

    const [card] = await addCards(provider, board.id, board.columns[0].id, ['Bleed radiators']);
    const assign = (assigneeId: number, version: number) => provider.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', provider.csrf).send({ taskId: card.id, assigneeId, version });
    for (const outsider of [stranger, former]) {
      const refused = await assign(outsider.id, card.version).expect(422);
      expect(refused.body.detail).to.match(/can be assigned/);
    }
    const assigned = await assign(colleague.id, card.version).expect(200);
    expect(assigned.body.assignee).to.deep.equal({ id: colleague.id, name: colleague.name });
  });
});
