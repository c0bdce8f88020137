import { expect } from 'chai';
import { startApi, type RunningApi } from '../../../api/server.ts';
import { issueAccessToken } from '../../../api/auth/access-tokens.ts';
import { seedDemoData } from '../../../db/seed/demo.ts';
import { seedCatalog } from '../../../db/seed/catalog.ts';
import { findUserByEmail } from '../../../db/repositories/users.ts';
import { seedDemoBookings } from '../../../scripts/demo-bookings.ts';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

describe('the demo bookings of npm start', function () {
  this.timeout(60_000);
  let stack: Stack;
  let api: RunningApi;

  before(async () => {
    stack = await backendStack();
    api = await startApi(stack.ctx, 0, '127.0.0.1');
  });
  after(() => api?.close());

  it('books Paul Painter’s services through the API, once, and puts each booking on his board', async () => {
    await seedDemoData(testDb());
    await seedCatalog(testDb());
    const paul = (await findUserByEmail(testDb(), 'paul.provider@pulseboard.test'))!;

    expect(await seedDemoBookings(stack.ctx, api.url)).to.equal(4);
    const states = await testDb()('bookings').where({ provider_id: paul.id }).orderBy('state').pluck('state');
    expect(states).to.deep.equal(['accepted', 'declined', 'requested', 'requested']);

    // What Paul sees when he signs in: the four cards in their columns, and an email for each request.
    const token = await issueAccessToken(stack.ctx, paul.id);
    await eventuallyPasses(async () => {
      const board = await (await fetch(`${api.url}/api/v1/boards/mine`, { headers: { authorization: `Bearer ${token}` } })).json();
      const counts = Object.fromEntries(board.columns.map((c: { bookingState: string | null; tasks: unknown[] }) => [c.bookingState, c.tasks.length]));
      expect(counts).to.include({ requested: 2, accepted: 1 });
      expect(board.columns.reduce((sum: number, c: { tasks: unknown[] }) => sum + c.tasks.length, 0)).to.equal(4);
      const mails = await testDb()('dev_outbox').where({ to_address: paul.email }).count({ n: '*' });
      expect(Number(mails[0].n)).to.be.at.least(4);
    });

    // Started again, npm start keeps them as they are.
    expect(await seedDemoBookings(stack.ctx, api.url)).to.equal(0);
    expect(await testDb()('bookings').where({ provider_id: paul.id }).pluck('state')).to.have.length(4);
  });
});
