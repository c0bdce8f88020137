import { expect } from 'chai';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';
import { createStoreActivities } from '../../../activities/stores/index.ts';
import { outboxMailer } from '../../../runtime/mail/outbox-mailer.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { eventually, eventuallyPasses } from '../../support/eventually.ts';
import { startFakeStoreServer, type FakeStoreServer } from '../../support/fake-store-server.ts';
import { connectStore, wooWebhook } from './support.ts';

/** Pulseboard makes a WooCommerce site's webhooks itself, with its own secret, and keeps them there. */
describe('WooCommerce webhooks registered by Pulseboard', function () {
  this.timeout(60_000);
  let stack: Stack;
  let fake: FakeStoreServer;

  before(async () => {
    [stack, fake] = await Promise.all([backendStack(), startFakeStoreServer()]);
  });
  after(() => fake.close());

  // The reconcile the actor's timer runs, called at once instead of in 15 minutes.
  const reconcile = (storeId: number) =>
    createStoreActivities({ db: testDb(), mailer: outboxMailer(testDb()), publicUrl: 'http://127.0.0.1:3000', keyring: () => storeKeyring(testDb(), stack.ctx.config), http: createOutboundClient({ allowLoopback: true }) }).reconcileStore({ storeId });

  it('creates the site\u2019s webhooks on connect, signed with our secret, and the reconcile re-creates a deleted one and re-enables a disabled one', async () => {
    const store = await connectStore(stack, 'woocommerce', { apiBaseUrl: fake.baseUrl });
    const delivery = `http://127.0.0.1:3000/webhooks/woocommerce/${store.storeId}`;
    const ours = () => fake.wooWebhooks.filter((w) => w.delivery_url === delivery);
    await eventually(() => ours().length === 3, 'three webhooks on the site');
    expect(ours().map((w) => [w.topic, w.status]).sort()).to.deep.equal([['order.created', 'active'], ['order.updated', 'active'], ['product.updated', 'active']]);
    expect(ours().every((w) => w.secret === store.secret)).to.equal(true);
    await eventuallyPasses(async () => {
      const health = (await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).expect(200)).body.store.health;
      expect(health.webhooks.sort()).to.deep.equal(['order.created', 'order.updated', 'product.updated']);
    });

    // A delivery signed as WooCommerce signs it, with the secret it was given, is taken.
    await wooWebhook(stack, store, 'order.created', { id: 1 }).expect((res) => expect(res.status).not.to.equal(401));

    // The merchant deletes one; WooCommerce disables another after failed deliveries.
    const deleted = ours().find((w) => w.topic === 'order.created')!;
    fake.wooWebhooks.splice(fake.wooWebhooks.indexOf(deleted), 1);
    ours().find((w) => w.topic === 'product.updated')!.status = 'disabled';
    await reconcile(store.storeId);
    expect(ours().map((w) => [w.topic, w.status]).sort()).to.deep.equal([['order.created', 'active'], ['order.updated', 'active'], ['product.updated', 'active']]);
    expect(ours().find((w) => w.topic === 'order.created')!.id).not.to.equal(deleted.id);
  });
});
