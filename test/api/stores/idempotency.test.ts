import { expect } from 'chai';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { createStoreActivities } from '../../../activities/stores/index.ts';
import { outboxMailer } from '../../../runtime/mail/outbox-mailer.ts';
import { recordWebhookEvent } from '../../../db/repositories/stores-events.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';
import { connectStore, shopifyOrder } from './support.ts';

describe('applying store events again (retried activity, restarted worker)', function () {
  this.timeout(30_000);
  let stack: Stack;
  before(async () => {
    stack = await backendStack();
  });
  const activities = () => createStoreActivities({ db: testDb(), mailer: outboxMailer(testDb()), publicUrl: 'http://127.0.0.1:3000', keyring: () => storeKeyring(testDb(), stack.ctx.config), http: createOutboundClient({ allowLoopback: true }) });

  it('marks an event that cannot be written failed and applies the rest of its batch', async () => {
    const store = await connectStore(stack, 'shopify');
    const receive = async (n: number, body: unknown) =>
      (await recordWebhookEvent(testDb(), { storeId: store.storeId, webhookId: `batch-${n}`, eventId: null, topic: 'orders/create', triggeredAt: new Date(), body: JSON.stringify(body), status: 'received' })).id!;
    const line = shopifyOrder(9102).line_items[0];
    // Readable, but two lines with one id cannot both be stored.
    const twoLinesOneId = { ...shopifyOrder(9102), line_items: [line, line] };
    const ids = [await receive(1, shopifyOrder(9101, { total: '10.00' })), await receive(2, twoLinesOneId), await receive(3, shopifyOrder(9103, { total: '30.00' }))];
    const result = await activities().applyStoreEvents({ storeId: store.storeId, eventIds: ids });
    expect(result).to.include({ applied: 2, failed: 1 });
    const events = await testDb()('store_webhook_events').whereIn('id', ids).orderBy('id').select('status', 'error');
    expect(events.map((e) => e.status)).to.deep.equal(['applied', 'failed', 'applied']);
    expect(events[1].error).to.equal('database error 23505 on store_order_lines_pkey');
    const [day] = await testDb()('store_metrics_daily').where({ store_id: store.storeId });
    expect([day.orders, Number(day.revenue_minor)]).to.deep.equal([2, 4000]);
    expect(await testDb()('store_orders').where({ store_id: store.storeId }).orderBy('external_id').pluck('external_id')).to.deep.equal(['9101', '9103']);
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
    const results = await Promise.all([1, 2, 3].map(() => activities().applyStoreEvents({ storeId: store.storeId, eventIds: [id!] })));
    const again = await activities().applyStoreEvents({ storeId: store.storeId, eventIds: [id!, id!] });
    expect(results.map((r) => r.applied).reduce((a, b) => a + b) + again.applied).to.equal(1);
    const [day] = await testDb()('store_metrics_daily').where({ store_id: store.storeId });
    expect([day.orders, Number(day.revenue_minor)]).to.deep.equal([1, 70000]);
    expect(await testDb()('store_alerts').where({ store_id: store.storeId })).to.have.length(1);
    expect(await testDb()('dev_outbox').where({ to_address: store.owner.user.email })).to.have.length(1);
  });
});
