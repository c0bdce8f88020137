import { expect } from 'chai';
import { startApi, type RunningApi } from '../../api/server.ts';
import { seedDemoData } from '../../db/seed/demo.ts';
import { startDemoStore } from '../../scripts/demo-store.ts';
import { issueAccessToken } from '../../api/auth/access-tokens.ts';
import { seedCatalog } from '../../db/seed/catalog.ts';
import { findUserByEmail } from '../../db/repositories/users.ts';
import { seedDemoBookings } from '../../scripts/demo-bookings.ts';
import { backendStack, type Stack } from '../support/stack.ts';
import { testDb } from '../support/app.ts';
import { eventuallyPasses } from '../support/eventually.ts';

describe('the demo data of npm start', function () {
  this.timeout(60_000);
  let stack: Stack;
  let api: RunningApi;

  before(async () => {
    stack = await backendStack();
    api = await startApi(stack.ctx, 0, '127.0.0.1');
  });
  after(() => api?.close());

  it('installs its demo store through the Shopify app install, once, and the webhooks the fake Shopify signs become orders and stock', async () => {
    await seedDemoData(testDb());
    const demo = (await startDemoStore({ ctx: stack.ctx, apiUrl: api.url, everyMs: 100 }))!;
    try {
      await eventuallyPasses(async () => {
        const [{ count }] = await testDb()('store_orders').where({ store_id: demo.storeId }).count();
        expect(Number(count)).to.be.at.least(3);
        const [{ levels }] = await testDb()('store_inventory_levels').where({ store_id: demo.storeId }).whereNotNull('title').count({ levels: '*' });
        expect(Number(levels)).to.be.at.least(1);
      }, { timeoutMs: 30_000 });
      const failures = await testDb()('store_webhook_events').where({ store_id: demo.storeId }).whereIn('status', ['malformed', 'failed']);
      expect(failures).to.deep.equal([]);
    } finally {
      await demo.stop();
    }
    const again = (await startDemoStore({ ctx: stack.ctx, apiUrl: api.url, everyMs: 60_000 }))!;
    await again.stop();
    expect(again.storeId).to.equal(demo.storeId);
    const store = await testDb()('stores').where({ id: demo.storeId }).first();
    expect(store).to.include({ webhook_signing: 'app', name: 'Acme Outdoor (demo)', high_value_threshold_minor: 60_000 });
    const org = await testDb()('organizations').where({ id: store.organization_id }).first();
    expect(org.name).to.equal('Acme Ops');
  });

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
