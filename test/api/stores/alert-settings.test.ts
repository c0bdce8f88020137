import { expect } from 'chai';
import request from 'supertest';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { addMember, signedInAs, type Session } from '../platform/helpers.ts';
import { connectStore, shopifyOrder, shopifyWebhook, type ConnectedStore } from './support.ts';
import { eventuallyPasses } from '../../support/eventually.ts';
import { createStoreActivities } from '../../../activities/stores/index.ts';
import { outboxMailer } from '../../../runtime/mail/outbox-mailer.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { insertBackfill } from '../../../db/repositories/stores-backfills.ts';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';

/** Per-person alert email settings (GET/PUT /me/alert_settings) and what they make reach an inbox. */
describe('store alert settings and alert emails', function () {
  this.timeout(60_000);
  let stack: Stack;
  let store: ConnectedStore;
  let member: Session;

  before(async () => {
    stack = await backendStack();
  });
  beforeEach(async () => {
    store = await connectStore(stack, 'shopify');
    member = await signedInAs(stack.app, 'customer');
    await addMember(store.orgId, member.user.id, 'member');
  });

  const settingsOf = async (who: Session) => (await who.agent.get('/api/v1/me/alert_settings').expect(200)).body;
  const put = (who: Session, body: object) => who.agent.put('/api/v1/me/alert_settings').set('X-CSRF-Token', who.csrf).send(body);
  const mailsTo = (who: Session) => testDb()('dev_outbox').where({ to_address: who.user.email }).orderBy('id');

  it('starts from defaults by role: owners hear of urgent alerts at once and of low stock in the digest; members in the digest', async () => {
    const owner = await settingsOf(store.owner);
    expect(owner.digest).to.deep.equal({ hour: 8, timezone: 'UTC', chosen: false });
    expect(owner.organizations).to.have.length(1);
    expect(owner.organizations[0]).to.deep.include({ organizationId: store.orgId, name: 'Shop Org', role: 'owner' });
    expect(owner.organizations[0].deliveries).to.deep.equal({ low_stock: 'digest', revenue_drop: 'immediate', webhooks_quiet: 'immediate', backfill_failed: 'immediate', high_value_order: 'immediate' });
    const mine = await settingsOf(member);
    expect(Object.values(mine.organizations[0].deliveries)).to.deep.equal(['digest', 'digest', 'digest', 'digest', 'digest']);
  });

  it('saves a person\'s own choices and digest hour, leaving other kinds and other people as they were', async () => {
    const saved = (await put(member, { digest: { hour: 18, timezone: 'Europe/Berlin' }, organizations: [{ organizationId: store.orgId, deliveries: { low_stock: 'none', revenue_drop: 'immediate' } }] }).expect(200)).body;
    expect(saved.digest).to.deep.equal({ hour: 18, timezone: 'Europe/Berlin', chosen: true });
    expect(saved.organizations[0].deliveries).to.deep.include({ low_stock: 'none', revenue_drop: 'immediate', webhooks_quiet: 'digest' });
    expect(await settingsOf(member)).to.deep.equal(saved);
    expect((await settingsOf(store.owner)).organizations[0].deliveries.low_stock).to.equal('digest');
  });

  it('shows and changes only organizations the person belongs to: another is a 404 and nothing is saved', async () => {
    const other = await connectStore(stack, 'shopify');
    expect((await settingsOf(member)).organizations.map((o: { organizationId: number }) => o.organizationId)).to.deep.equal([store.orgId]);
    const res = await put(member, { digest: { hour: 5, timezone: 'UTC' }, organizations: [{ organizationId: store.orgId, deliveries: { low_stock: 'none' } }, { organizationId: other.orgId, deliveries: { low_stock: 'none' } }] }).expect(404);
    expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    expect((await settingsOf(member)).digest.chosen).to.equal(false);
    expect(await testDb()('alert_email_choices').where({ user_id: member.user.id })).to.have.length(0);
  });

  it('refuses what is not a person\'s own settings or not valid, with Problem Details', async () => {
    await request(stack.app).get('/api/v1/me/alert_settings').expect(401);
    await member.agent.put('/api/v1/me/alert_settings').send({ digest: { hour: 7, timezone: 'UTC' } }).expect(403); // no CSRF token
    for (const body of [
      { digest: { hour: 24, timezone: 'UTC' } },
      { digest: { hour: 7.5, timezone: 'UTC' } },
      { digest: { hour: 7, timezone: 'Mars/Olympus_Mons' } },
      { digest: { hour: 7, timezone: 'est' } },
      { organizations: [{ organizationId: store.orgId, deliveries: { low_stock: 'hourly' } }] },
      { organizations: [{ organizationId: store.orgId, deliveries: { flood: 'none' } }] },
      { organizations: [{ organizationId: store.orgId, deliveries: {} }, { organizationId: store.orgId, deliveries: {} }] },
      { organizations: [{ organizationId: 'mine', deliveries: {} }] },
      { userId: store.owner.user.id, digest: { hour: 7, timezone: 'UTC' } },
    ]) {
      const res = await put(member, body);
      expect(res.status, JSON.stringify(body)).to.equal(422);
      expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    }
    expect((await settingsOf(member)).digest.chosen).to.equal(false);
  });

  it('clears a low-stock alert when stock recovers and fires it again on the next shortage: "at once" mails each occurrence once, "not by email" nothing', async () => {
    await put(store.owner, { organizations: [{ organizationId: store.orgId, deliveries: { low_stock: 'immediate' } }] }).expect(200);
    await put(member, { organizations: [{ organizationId: store.orgId, deliveries: { low_stock: 'none' } }] }).expect(200);
    let minute = 0;
    const stock = (available: number) => {
      minute += 1;
      return shopifyWebhook(stack, store, 'inventory_levels/update', { inventory_item_id: 4242, location_id: 1, available, updated_at: `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z` }).expect(200);
    };
    const alerts = () => testDb()('store_alerts').where({ store_id: store.storeId, kind: 'low_stock' }).orderBy('id');
    const applied = () => eventuallyPasses(async () => expect(await testDb()('store_webhook_events').where({ store_id: store.storeId, status: 'received' })).to.have.length(0));

    for (const available of [3, 2, 1]) await stock(available); // one shortage, however often it is reported
    await applied();
    expect((await alerts()).map((a) => a.cleared_at === null)).to.deep.equal([true]);
    await stock(40);
    await applied();
    expect((await alerts()).map((a) => a.cleared_at === null)).to.deep.equal([false]);
    for (const available of [4, 0]) await stock(available);
    await applied();
    const [first, second] = await alerts();
    expect([first.cleared_at === null, second.cleared_at === null]).to.deep.equal([false, true]);

    await eventuallyPasses(async () => expect((await mailsTo(store.owner)).map((m) => m.idempotency_key)).to.deep.equal([`store-alert:${first.id}:${store.owner.user.id}`, `store-alert:${second.id}:${store.owner.user.id}`]));
    expect((await mailsTo(store.owner)).map((m) => m.kind)).to.deep.equal(['store', 'store']);
    expect(await mailsTo(member)).to.have.length(0);
    // The dashboard lists both occurrences, the older one cleared.
    const listed = (await member.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/alerts`).expect(200)).body.alerts;
    expect(listed.map((a: { clearedAt: string | null }) => a.clearedAt === null)).to.deep.equal([true, false]);
  });

  const activities = () => createStoreActivities({ db: testDb(), mailer: outboxMailer(testDb()), publicUrl: 'http://127.0.0.1:3000', keyring: () => storeKeyring(testDb(), stack.ctx.config), http: createOutboundClient({ allowLoopback: true }) });

  it('keeps one revenue-drop alert while the drop lasts and clears it once the last hour is back to normal', async () => {
    // "Last hour" is the wall clock's: stay inside one hour.
    const HOUR = 3_600_000;
    const toNextHour = HOUR - (Date.now() % HOUR);
    if (toNextHour < 20_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 100));
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR - HOUR + 5 * 60_000;
    const at = (ms: number) => new Date(ms).toISOString();
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(8101, { total: '100.00', createdAt: at(lastHour - 7 * 24 * HOUR) })).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(8102, { total: '20.00', createdAt: at(lastHour) })).expect(200);
    const applied = () => eventuallyPasses(async () => expect(await testDb()('store_webhook_events').where({ store_id: store.storeId, status: 'received' })).to.have.length(0));
    const alerts = () => testDb()('store_alerts').where({ store_id: store.storeId, kind: 'revenue_drop' }).orderBy('id');
    await applied();
    // The store's API is not reachable here: reconcile records that, and still compares the hours.
    await activities().reconcileStore({ storeId: store.storeId });
    await activities().reconcileStore({ storeId: store.storeId });
    expect((await alerts()).map((a) => a.cleared_at === null)).to.deep.equal([true]);
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(8103, { total: '40.00', createdAt: at(lastHour + 60_000) })).expect(200);
    await applied();
    await activities().reconcileStore({ storeId: store.storeId });
    expect((await alerts()).map((a) => a.cleared_at === null)).to.deep.equal([false]);
    expect((await mailsTo(store.owner)).map((m) => m.subject)).to.deep.equal(['Revenue drop at Test Shop']);
  });

  it('raises one backfill-failed alert until a later load completes, mailed at once to the owner', async () => {
    const failing = await insertBackfill(testDb(), store.storeId, 7);
    await activities().finishStoreBackfill({ storeId: store.storeId, backfillId: failing.id, error: 'shop not found (404)' });
    const alerts = () => testDb()('store_alerts').where({ store_id: store.storeId, kind: 'backfill_failed' }).orderBy('id');
    expect((await alerts()).map((a) => [a.title, a.cleared_at === null])).to.deep.equal([['Loading history failed at Test Shop', true]]);
    expect((await mailsTo(store.owner)).map((m) => m.subject)).to.deep.equal(['Loading history failed at Test Shop']);
    const retried = await insertBackfill(testDb(), store.storeId, 7);
    await activities().finishStoreBackfill({ storeId: store.storeId, backfillId: retried.id, error: null });
    expect((await alerts()).map((a) => a.cleared_at === null)).to.deep.equal([false]);
    expect(await mailsTo(store.owner)).to.have.length(1);
  });
});
