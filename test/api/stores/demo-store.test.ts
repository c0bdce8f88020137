import { expect } from 'chai';
import { startApi, type RunningApi } from '../../../api/server.ts';
import { seedDemoData } from '../../../db/seed/demo.ts';
import { startDemoStore } from '../../../scripts/demo-store.ts';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

describe('the demo store of npm start', function () {
  this.timeout(60_000);
  let stack: Stack;
  let api: RunningApi;

  before(async () => {
    stack = await backendStack();
    api = await startApi(stack.ctx, 0, '127.0.0.1');
  });
  after(() => api?.close());

  it('belongs to Acme Ops, is made once, and its signed webhooks become orders and stock on its dashboard', async () => {
    await seedDemoData(testDb());
    const demo = (await startDemoStore({ apiUrl: api.url, db: testDb(), config: stack.ctx.config, everyMs: 100 }))!;
    try {
      await eventuallyPasses(async () => {
        const [{ count }] = await testDb()('store_orders').where({ store_id: demo.storeId }).count();
        expect(Number(count)).to.be.at.least(3);
        const [{ levels }] = await testDb()('store_inventory_levels').where({ store_id: demo.storeId }).count({ levels: '*' });
        expect(Number(levels)).to.be.at.least(1);
      }, { timeoutMs: 30_000 });
      const failures = await testDb()('store_webhook_events').where({ store_id: demo.storeId }).whereIn('status', ['malformed', 'failed']);
      expect(failures).to.deep.equal([]);
    } finally {
      await demo.stop();
    }
    const again = (await startDemoStore({ apiUrl: api.url, db: testDb(), config: stack.ctx.config, everyMs: 60_000 }))!;
    await again.stop();
    expect(again.storeId).to.equal(demo.storeId);
    const store = await testDb()('stores').where({ id: demo.storeId }).first();
    const org = await testDb()('organizations').where({ id: store.organization_id }).first();
    expect(org.name).to.equal('Acme Ops');
  });
});
