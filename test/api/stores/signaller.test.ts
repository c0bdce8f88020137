import { expect } from 'chai';
import { defaultPayloadConverter } from '@temporalio/common';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { recordWebhookEvent } from '../../../db/repositories/stores-events.ts';
import { storeSignaller } from '../../../api/routes/webhooks/store-signaller.ts';
import { storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';
import { connectStore, shopifyOrder } from './support.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

describe('handing received webhooks to the store actor', function () {
  this.timeout(30_000);
  let stack: Stack;
  before(async () => {
    stack = await backendStack();
  });

  it('sends ids that come while a signal to the store is in flight or just went together in the next one, and applies each once', async () => {
    const store = await connectStore(stack, 'shopify');
    const received = async (n: number) =>
      (await recordWebhookEvent(testDb(), { storeId: store.storeId, webhookId: `sig-${n}`, eventId: null, topic: 'orders/create', triggeredAt: null, body: JSON.stringify(shopifyOrder(7000 + n)), status: 'received' })).id!;
    const ids = await Promise.all([1, 2, 3, 4].map(received));
    const handle = stack.ctx.temporal!.client.workflow.getHandle(storeWorkflowId(store.storeId));
    const signalled = async () =>
      ((await handle.fetchHistory()).events ?? [])
        .map((e) => e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0])
        .filter((p) => p !== undefined)
        .map((p) => defaultPayloadConverter.fromPayload<{ eventIds: number[] }>(p!).eventIds);
    // A long spacing, so that what follows surely falls within it.
    const signaller = storeSignaller(stack.ctx, { spacingMs: 3_000 });
    signaller.signal(store.storeId, ids[0]);
    signaller.signal(store.storeId, ids[1]);
    await eventuallyPasses(async () => expect(await signalled()).to.deep.equal([[ids[0], ids[1]]]));
    signaller.signal(store.storeId, ids[2]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    signaller.signal(store.storeId, ids[3]);
    await eventuallyPasses(async () => expect(await signalled()).to.deep.equal([[ids[0], ids[1]], [ids[2], ids[3]]]));
    await eventuallyPasses(async () => expect(await testDb()('store_webhook_events').whereIn('id', ids).pluck('status')).to.deep.equal(['applied', 'applied', 'applied', 'applied']));
    const [day] = await testDb()('store_metrics_daily').where({ store_id: store.storeId });
    expect(day.orders).to.equal(4);
  });
});
