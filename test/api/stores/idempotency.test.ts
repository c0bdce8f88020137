import { expect } from 'chai';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { createStoreActivities } from '../../../activities/stores/index.ts';
import { outboxMailer } from '../../../activities/email/outbox-mailer.ts';
import { recordWebhookEvent } from '../../../db/repositories/stores-events.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { connectStore, shopifyOrder } from './support.ts';

describe('applying store events again (retried activity, restarted worker)', function () {
  this.timeout(30_000);
  let stack: Stack;
  before(async () => {
    stack = await backendStack();
  });

  it('counts an event once however often and however concurrently it is applied', async () => {
    const store = await connectStore(stack, 'shopify');
    // Stored as the webhook route stores it, but not signalled: this test plays the actor.
    const { id } = await recordWebhookEvent(testDb(), {
      storeId: store.storeId,
      webhookId: 'retried-1',
      eventId: 'e-1',
      topic: 'orders/create',
      triggeredAt: new Date(),
      body: JSON.stringify(shopifyOrder(9001, { total: '700.00' })),
      status: 'received',
    });
    const activities = createStoreActivities({ db: testDb(), mailer: outboxMailer(testDb()), publicUrl: 'http://127.0.0.1:3000', keyring: () => storeKeyring(testDb(), stack.ctx.config) });
    const results = await Promise.all([1, 2, 3].map(() => activities.applyStoreEvents({ storeId: store.storeId, eventIds: [id!] })));
    const again = await activities.applyStoreEvents({ storeId: store.storeId, eventIds: [id!, id!] });
    expect(results.map((r) => r.applied).reduce((a, b) => a + b) + again.applied).to.equal(1);
    const [day] = await testDb()('store_metrics_daily').where({ store_id: store.storeId });
    expect([day.orders, Number(day.revenue_minor)]).to.deep.equal([1, 70000]);
    expect(await testDb()('store_alerts').where({ store_id: store.storeId })).to.have.length(1);
    expect(await testDb()('dev_outbox').where({ to_address: store.owner.user.email })).to.have.length(1);
  });
});
