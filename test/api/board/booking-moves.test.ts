import { expect } from 'chai';
import { DateTime } from 'luxon';
import { backendStack, type Stack } from '../../support/stack.ts';
import { createService, putTemplate, signedInProvider } from '../catalog/support.ts';
import { startApi } from '../../../api/server.ts';
import { TestSocket } from '../relay/support.ts';
import { addMember, createOrg, signedInAs, type Session } from '../platform/helpers.ts';
import { reorder, signInAt, titlesByColumn, type BoardBody } from './support.ts';

/** Moves of a booking's card that ask the booking actor: the real stack, Temporal and the worker's activities. */
describe('board API: a booking’s card and its actor', function () {
  this.timeout(60_000);
  let stack: Stack;
  let provider: Session;
  let board: BoardBody;

  before(async () => {
    stack = await backendStack();
    provider = await signedInProvider(stack.app);
    await putTemplate(provider);
    const service = await createService(provider, { title: 'Window cleaning' });
    const customer = await signedInAs(stack.app, 'customer');
    const startsAt = DateTime.now().setZone('Europe/Berlin').plus({ days: 3 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO()!;
    const hold = await customer.agent.post('/api/v1/bookings/hold').set('X-CSRF-Token', customer.csrf).send({ serviceId: service.id, startsAt }).expect(201);
    await customer.agent.post(`/api/v1/bookings/${hold.body.id}/confirm`).set('X-CSRF-Token', customer.csrf).send({}).expect(200);
    board = (await provider.agent.get('/api/v1/boards/mine').expect(200)).body;
  });

  const column = (name: string) => board.columns.find((c) => c.name === name)!;

  it('leaves the card where it was, with the actor’s reason, when the actor refuses', async () => {
    const card = column('Requested').tasks[0];
    expect(card.title).to.contain('Window cleaning');
    const res = await reorder(provider, { taskId: card.id, columnId: column('Done').id, version: card.version }).expect(409);
    expect(res.body.detail).to.match(/cannot be completed/i);
    const titles = await titlesByColumn(provider, board.id);
    expect(titles.Requested).to.have.length(1);
    expect(titles.Done).to.deep.equal([]);
  });

  it('accepts the booking when its card is dropped on Accepted, and the card ends there once', async () => {
    const card = column('Requested').tasks[0];
    const res = await reorder(provider, { taskId: card.id, columnId: column('Accepted').id, version: card.version }).expect(200);
    expect(res.body).to.deep.include({ columnId: column('Accepted').id });
    expect(res.body.booking.state).to.equal('accepted');
    const titles = await titlesByColumn(provider, board.id);
    expect(titles.Accepted).to.have.length(1);
    expect(titles.Requested).to.deep.equal([]);
    const booking = await provider.agent.get(`/api/v1/bookings/${res.body.booking.id}`).expect(200);
    expect(booking.body.state).to.equal('accepted');
  });

  it('shows the technician assigned a booking’s card, on their own topic, when the booking actor moves it', async () => {
    const api = await startApi(stack.ctx, 0, '127.0.0.1');
    const socket = await (async () => {
      const technician = await signInAt(api, 'customer');
      await addMember(await createOrg(provider, 'Clean Windows Ltd'), technician.user.id, 'member');
      await provider.agent.put(`/api/v1/boards/${board.id}/members/${technician.user.id}`).set('X-CSRF-Token', provider.csrf).send({ role: 'technician' }).expect(200);
      board = (await provider.agent.get(`/api/v1/boards/${board.id}`).expect(200)).body;
      const card = column('Accepted').tasks[0];
      await provider.agent.post('/api/v1/tasks/assign').set('X-CSRF-Token', provider.csrf).send({ taskId: card.id, assigneeId: technician.user.id, version: card.version }).expect(200);
      const opened = await TestSocket.open(`${api.url.replace('http', 'ws')}/ws`, null, { headers: { cookie: technician.cookie } });
      await opened.subscribe(`user:${technician.user.id}`);
      return opened;
    })();
    try {
      board = (await provider.agent.get(`/api/v1/boards/${board.id}`).expect(200)).body;
      const card = column('Accepted').tasks[0];
      await reorder(provider, { taskId: card.id, columnId: column('Closed').id, version: card.version }).expect(200);
      // The actor's own announcement of the step (it carries the booking's new state), not the API's move after it.
      for (;;) {
        const event = await socket.next({ type: 'event', event: 'board.task' }, 20_000);
        const mine = event.data as { event: string; data: { taskId: number; columnId: number; bookingState?: string } };
        if (mine.data.bookingState === undefined) continue;
        expect(mine).to.deep.include({ event: 'task.moved' });
        expect(mine.data).to.include({ taskId: card.id, columnId: column('Closed').id, bookingState: 'canceled' });
        break;
      }
    } finally {
      socket.close();
      await api.close();
    }
  });
});
