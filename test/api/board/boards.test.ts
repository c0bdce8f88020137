import { expect } from 'chai';
import { testDb } from '../../support/app.ts';
import { placeBookingTask } from '../../../db/repositories/board-tasks.ts';
import { insertBookingRow, signedInProvider, createService } from '../catalog/support.ts';
import { addMember, createOrg, platformApp, signedInAs, type PlatformApp, type Session } from '../platform/helpers.ts';
import { addCards, reorder, type BoardBody } from './support.ts';

describe('board API: many boards, their owners and members', () => {
  let app: PlatformApp['app'];
  let owner: Session;
  let colleague: Session;
  let stranger: Session;
  let orgId: number;

  before(async () => {
    app = platformApp().app;
    owner = await signedInAs(app, 'customer');
    colleague = await signedInAs(app, 'customer');
    stranger = await signedInAs(app, 'customer');
    orgId = await createOrg(owner, 'Builders');
    await addMember(orgId, colleague.user.id, 'member');
  });

  const createBoard = (session: Session, body: Record<string, unknown>) => session.agent.post('/api/v1/boards').set('X-CSRF-Token', session.csrf).send(body);
  const patchBoard = (session: Session, id: number, body: Record<string, unknown>) => session.agent.patch(`/api/v1/boards/${id}`).set('X-CSRF-Token', session.csrf).send(body);
  const putMember = (session: Session, boardId: number, userId: number, role: string) => session.agent.put(`/api/v1/boards/${boardId}/members/${userId}`).set('X-CSRF-Token', session.csrf).send({ role });
  const names = async (session: Session, query = '') => (await session.agent.get(`/api/v1/boards${query}`).expect(200)).body.items.map((b: { name: string }) => b.name);

  it('creates, renames, archives and lists a person’s boards', async () => {
    const board: BoardBody & { name: string; role: string } = (await createBoard(owner, { name: 'Loft' }).expect(201)).body;
    expect(board).to.deep.include({ name: 'Loft', role: 'owner', organization: null, archived: false });
    expect(board.columns.map((c) => c.name)).to.deep.equal(['To do', 'In progress', 'Done']);
    await patchBoard(owner, board.id, { name: 'Loft conversion' }).expect(200);
    expect(await names(owner)).to.include('Loft conversion');
    expect((await patchBoard(owner, board.id, { archived: true }).expect(200)).body.archived).to.equal(true);
    expect(await names(owner)).not.to.include('Loft conversion');
    expect(await names(owner, '?archived=true')).to.include('Loft conversion');
    await patchBoard(owner, board.id, {}).expect(422);
    await patchBoard(stranger, board.id, { name: 'Mine' }).expect(404);
    await stranger.agent.get(`/api/v1/boards/${board.id}`).expect(404);
  });

  it('lets an organization’s members work on its boards, and nobody else; only its owner renames it', async () => {
    const board = (await createBoard(owner, { name: 'Site A', organizationId: orgId }).expect(201)).body;
    expect(board.organization).to.deep.equal({ id: orgId, name: 'Builders' });
    expect(await names(colleague)).to.include('Site A');
    const seen = (await colleague.agent.get(`/api/v1/boards/${board.id}`).expect(200)).body;
    expect(seen.role).to.equal('editor');
    await addCards(colleague, board.id, board.columns[0].id, ['Pour footings']);
    await patchBoard(colleague, board.id, { name: 'Ours' }).expect(403);
    await createBoard(stranger, { name: 'Theirs', organizationId: orgId }).expect(422);
    expect(await names(stranger)).not.to.include('Site A');
  });

  it('gives members the role the owner picks: a viewer reads but changes nothing', async () => {
    const board = (await createBoard(owner, { name: 'Porch' }).expect(201)).body;
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Paint porch']);
    await putMember(owner, board.id, stranger.user.id, 'viewer').expect(422); // not someone the owner works with
    await putMember(owner, board.id, colleague.user.id, 'boss').expect(422);
    const { items } = (await putMember(owner, board.id, colleague.user.id, 'viewer').expect(200)).body;
    expect(items).to.deep.equal([{ userId: colleague.user.id, name: colleague.user.name, role: 'viewer' }]);
    expect((await colleague.agent.get(`/api/v1/boards/${board.id}`).expect(200)).body.role).to.equal('viewer');
    await reorder(colleague, { taskId: card.id, columnId: board.columns[1].id, version: card.version }).expect(403);
    await colleague.agent.post(`/api/v1/tasks/${card.id}/comments`).set('X-CSRF-Token', colleague.csrf).send({ body: 'hi' }).expect(403);
    await colleague.agent.get(`/api/v1/tasks/${card.id}/comments`).expect(200);
    await putMember(colleague, board.id, colleague.user.id, 'editor').expect(403);

    await putMember(owner, board.id, colleague.user.id, 'editor').expect(200);
    await reorder(colleague, { taskId: card.id, columnId: board.columns[1].id, version: card.version }).expect(200);
    await owner.agent.delete(`/api/v1/boards/${board.id}/members/${colleague.user.id}`).set('X-CSRF-Token', owner.csrf).expect(204);
    await colleague.agent.get(`/api/v1/boards/${board.id}`).expect(404);
  });

  it('shows a technician only the bookings assigned to them, lets them move those through work columns, and leaves booking steps to the provider', async () => {
    const provider = await signedInProvider(app);
    const technician = await signedInAs(app, 'customer');
    await addMember(await createOrg(provider, 'Plumbing Co'), technician.user.id, 'member');
    const service = await createService(provider, { title: 'Boiler fix' });
    const cards: number[] = [];
    for (const day of [2, 3]) {
      const start = new Date(Date.now() + day * 86_400_000);
      const bookingId = await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), state: 'accepted' });
      const placed = await testDb().transaction((trx) => placeBookingTask(trx, { id: bookingId, providerId: provider.user.id, providerName: provider.user.name, title: `Boiler fix, day ${day}`, description: '', dueAt: start }, 'accepted'));
      cards.push(placed!.taskId);
    }
    let board: BoardBody = (await provider.agent.get('/api/v1/boards/mine').expect(200)).body;
    const onSite = (await provider.agent.post(`/api/v1/boards/${board.id}/columns`).set('X-CSRF-Token', provider.csrf).send({ name: 'On site', afterColumnId: board.columns[1].id }).expect(201)).body;
    await putMember(provider, board.id, technician.user.id, 'technician').expect(200);
    const mine = (await provider.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', provider.csrf).send({ taskId: cards[0], assigneeId: technician.user.id, version: 1 }).expect(200)).body;

    board = (await technician.agent.get(`/api/v1/boards/${board.id}`).expect(200)).body;
    expect(board.columns.flatMap((c) => c.tasks.map((t) => t.title))).to.deep.equal(['Boiler fix, day 2']);
    await technician.agent.get(`/api/v1/tasks/${cards[1]}`).expect(404);
    await reorder(technician, { taskId: cards[1], columnId: onSite.id, version: 1 }).expect(404);

    const moved = (await reorder(technician, { taskId: cards[0], columnId: onSite.id, version: mine.version }).expect(200)).body;
    expect(moved.columnId).to.equal(onSite.id);
    const done = board.columns.find((c) => c.name === 'Done')!;
    const refused = await reorder(technician, { taskId: cards[0], columnId: done.id, version: moved.version }).expect(403);
    expect(refused.body.detail).to.match(/provider/);
    await technician.agent.patch(`/api/v1/tasks/${cards[0]}`).set('X-CSRF-Token', technician.csrf).send({ version: moved.version, title: 'Renamed' }).expect(403);
    await technician.agent.post(`/api/v1/tasks/${cards[0]}/comments`).set('X-CSRF-Token', technician.csrf).send({ body: 'On my way' }).expect(201);
    await technician.agent.post(`/api/v1/boards/${board.id}/tasks`).set('X-CSRF-Token', technician.csrf).send({ columnId: onSite.id, title: 'Extra' }).expect(403);
  });
});
