import { expect } from 'chai';
import { testDb } from '../../support/app.ts';
import { placeBookingTask } from '../../../db/repositories/board-tasks.ts';
import { insertBookingRow, signedInProvider, createService } from '../catalog/support.ts';
import { addMember, createOrg, platformApp, signedInAs, type PlatformApp, type Session } from '../platform/helpers.ts';
import { addCards, createProjectBoard, reorder, type BoardBody } from './support.ts';

describe('board API: comments, mentions and a card’s log', () => {
  let app: PlatformApp['app'];
  let sent: PlatformApp['sent'];
  let owner: Session;
  let colleague: Session;
  let outsider: Session;
  let board: BoardBody;

  before(async () => {
    ({ app, sent } = platformApp());
    owner = await signedInAs(app, 'customer');
    colleague = await signedInAs(app, 'customer');
    outsider = await signedInAs(app, 'customer');
    await addMember(await createOrg(owner, 'Owner & colleague'), colleague.user.id, 'member');
    board = await createProjectBoard(owner, 'Bathroom');
  });

  const comment = (session: Session, taskId: number, body: unknown) => session.agent.post(`/api/v1/tasks/${taskId}/comments`).set('X-CSRF-Token', session.csrf).send({ body });

  it('keeps a card’s comments in order, with their authors', async () => {
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Tile the floor']);
    const first = (await comment(owner, card.id, 'Grey tiles arrived.').expect(201)).body;
    expect(first).to.deep.include({ taskId: card.id, body: 'Grey tiles arrived.', author: { id: owner.user.id, name: owner.user.name } });
    await comment(owner, card.id, 'Grout is white.').expect(201);
    const { items } = (await owner.agent.get(`/api/v1/tasks/${card.id}/comments`).expect(200)).body;
    expect(items.map((c: { body: string }) => c.body)).to.deep.equal(['Grey tiles arrived.', 'Grout is white.']);
    const again = (await owner.agent.get(`/api/v1/tasks/${card.id}`).expect(200)).body;
    expect(again.commentCount).to.equal(2);
  });

  it('refuses an empty comment, and hides the card from people not on its board', async () => {
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Fit the mirror']);
    const refused = await comment(owner, card.id, '   ').expect(422);
    expect(refused.headers['content-type']).to.match(/application\/problem\+json/);
    await comment(outsider, card.id, 'Let me in').expect(404);
    await outsider.agent.get(`/api/v1/tasks/${card.id}/comments`).expect(404);
    await outsider.agent.get(`/api/v1/tasks/${card.id}/activity`).expect(404);
    await outsider.agent.get(`/api/v1/tasks/${card.id}/mentionable`).expect(404);
    await owner.agent.get('/api/v1/tasks/nope/comments').expect(404);
  });

  it('tells a mentioned member of the board in the app and by email, and nobody who cannot open the card', async () => {
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Order the bath']);
    // A colleague who is not on the board would get a link they cannot open: not mentionable until added.
    expect((await owner.agent.get(`/api/v1/tasks/${card.id}/mentionable`).expect(200)).body.items).to.deep.equal([]);
    await owner.agent.put(`/api/v1/boards/${board.id}/members/${colleague.user.id}`).set('X-CSRF-Token', owner.csrf).send({ role: 'viewer' }).expect(200);
    expect((await owner.agent.get(`/api/v1/tasks/${card.id}/mentionable`).expect(200)).body.items.map((p: { name: string }) => p.name)).to.deep.equal([colleague.user.name]);
    const body = `@${colleague.user.name} which model? (cc @${outsider.user.name})`;
    await comment(owner, card.id, body).expect(201);
    const { items } = (await colleague.agent.get('/api/v1/notifications').expect(200)).body;
    expect(items[0]).to.deep.include({ kind: 'board.mention', title: `${owner.user.name} mentioned you on “Order the bath”`, link: `/boards/${board.id}?card=${card.id}`, read: false });
    expect((await outsider.agent.get('/api/v1/notifications').expect(200)).body.items).to.deep.equal([]);
    const mails = sent.filter((m) => m.subject.includes('Order the bath'));
    expect(mails.map((m) => [m.to, m.subject])).to.deep.equal([[colleague.user.email, `${owner.user.name} mentioned you on “Order the bath”`]]);
    expect(mails[0].text).to.contain('which model?').and.contain(`/boards/${board.id}?card=${card.id}`);
  });

  it('logs who added, moved, edited, assigned and commented on a card, newest first', async () => {
    const [card] = await addCards(owner, board.id, board.columns[0].id, ['Seal the shower']);
    const moved = (await reorder(owner, { taskId: card.id, columnId: board.columns[1].id, version: card.version }).expect(200)).body;
    const edited = (await owner.agent.patch(`/api/v1/tasks/${card.id}`).set('X-CSRF-Token', owner.csrf).send({ version: moved.version, description: 'Clear silicone' }).expect(200)).body;
    await owner.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', owner.csrf).send({ taskId: card.id, assigneeId: colleague.user.id, version: edited.version }).expect(200);
    await comment(owner, card.id, 'Done by Friday?').expect(201);
    const { items } = (await owner.agent.get(`/api/v1/tasks/${card.id}/activity`).expect(200)).body;
    expect(items.map((a: { kind: string; detail: unknown }) => [a.kind, a.detail])).to.deep.equal([
      ['commented', { commentId: items[0].detail.commentId }],
      ['assigned', { assignee: colleague.user.name }],
      ['edited', { fields: ['description'] }],
      ['moved', { to: 'In progress' }],
      ['created', { column: 'To do' }],
    ]);
    expect(items.every((a: { actor: { id: number } }) => a.actor.id === owner.user.id)).to.equal(true);
  });

  it('shows a booking card’s transitions in its log', async () => {
    const provider = await signedInProvider(app);
    const service = await createService(provider, { title: 'Leak repair' });
    const start = new Date(Date.now() + 2 * 86_400_000);
    const bookingId = await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), state: 'accepted' });
    const placed = await testDb().transaction((trx) =>
      placeBookingTask(trx, { id: bookingId, providerId: provider.user.id, providerName: provider.user.name, title: 'Leak repair', description: '', dueAt: start }, 'accepted'),
    );
    await testDb()('booking_events').insert({ booking_id: bookingId, sequence: 1, action: 'accept', from_state: 'requested', to_state: 'accepted', actor_role: 'provider', actor_id: provider.user.id, at: new Date() });
    const { items } = (await provider.agent.get(`/api/v1/tasks/${placed!.taskId}/activity`).expect(200)).body;
    expect(items).to.have.length(1);
    expect(items[0]).to.deep.include({ kind: 'booking', actor: { id: provider.user.id, name: provider.user.name }, detail: { action: 'accept', from: 'requested', to: 'accepted', role: 'provider' } });
  });
});
