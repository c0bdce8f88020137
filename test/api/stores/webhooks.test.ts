import { expect } from 'chai';
import request from 'supertest';
import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { createApp } from '../../../api/app.ts';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { signedInAs } from '../platform/helpers.ts';
import { connectStore, dashboard, shopifyOrder, shopifyWebhook, wooWebhook, type ConnectedStore } from './support.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

describe('store webhooks through the store actor', function () {
  this.timeout(60_000);
  let stack: Stack;
  let store: ConnectedStore;

  before(async () => {
    stack = await backendStack();
  });
  beforeEach(async () => {
    store = await connectStore(stack, 'shopify');
  });

  const events = (storeId = store.storeId) => testDb()('store_webhook_events').where({ store_id: storeId }).orderBy('id');

  it('keeps the pasted signing key and token sealed and never shows them', async () => {
    expect(store.body).not.to.have.property('webhookSecret');
    expect(store.body.webhookUrl).to.match(new RegExp(`/webhooks/shopify/${store.storeId}$`));
    const read = await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).expect(200);
    expect(JSON.stringify(read.body)).not.to.contain(store.secret).and.not.to.contain('shpat_');
    const row = await testDb()('stores').where({ id: store.storeId }).first();
    expect(row.credentials_sealed).to.match(/^v1\./).and.not.to.contain('shpat_');
    expect(row.webhook_secret_sealed).not.to.contain(store.secret);
  });

  it('shows a WooCommerce store the secret we generated, once', async () => {
    const woo = await connectStore(stack, 'woocommerce');
    expect(woo.secret).to.match(/^[\w-]{40,}$/);
    const read = await woo.owner.agent.get(`/api/v1/orgs/${woo.orgId}/stores/${woo.storeId}`).expect(200);
    expect(JSON.stringify(read.body)).not.to.contain(woo.secret);
  });

  it('refuses a pasted Shopify connection without the signing key the admin shows', async () => {
    const res = await store.owner.agent
      .post(`/api/v1/orgs/${store.orgId}/stores`)
      .set('X-CSRF-Token', store.owner.csrf)
      .send({ platform: 'shopify', shopDomain: 'keyless.myshopify.com', accessToken: 'shpat_0123456789', name: 'Keyless', timezone: 'UTC', currency: 'EUR' })
      .expect(422);
    expect(JSON.stringify(res.body)).to.contain('webhookSigningKey');
  });

  it('accepts a good HMAC and refuses a bad, missing or hex-encoded one without storing anything', async () => {
    const body = JSON.stringify(shopifyOrder(1001));
    const base64 = createHmac('sha256', store.secret).update(body).digest('base64');
    const hex = createHmac('sha256', store.secret).update(body).digest('hex');
    const post = (hmac?: string) => {
      const r = request(stack.app).post(`/webhooks/shopify/${store.storeId}`).set('Content-Type', 'application/json').set('X-Shopify-Topic', 'orders/create').set('X-Shopify-Webhook-Id', `hmac-${Math.random()}`);
      return (hmac === undefined ? r : r.set('X-Shopify-Hmac-Sha256', hmac)).send(body);
    };
    await post(createHmac('sha256', 'wrong secret').update(body).digest('base64')).expect(401);
    await post().expect(401);
    await post(hex).expect(401);
    expect(await events()).to.have.length(0);
    await post(base64).expect(200);
    expect(await events()).to.have.length(1);
  });

  it('logs accepted deliveries at debug, so a busy shop does not drown the log, and refused ones at info', async () => {
    const lines: Array<{ level: number; route: string; status: number }> = [];
    const app = createApp({ ...stack.ctx, log: pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) });
    const body = JSON.stringify(shopifyOrder(1002));
    const post = (secret: string) =>
      request(app).post(`/webhooks/shopify/${store.storeId}`).set('Content-Type', 'application/json').set('X-Shopify-Topic', 'orders/create')
        .set('X-Shopify-Webhook-Id', `log-${Math.random()}`).set('X-Shopify-Hmac-Sha256', createHmac('sha256', secret).update(body).digest('base64')).send(body);
    await post(store.secret).expect(200);
    await post('wrong secret').expect(401);
    const requests = lines.filter((line) => line.route === '/webhooks/shopify/:storeId').map(({ level, status }) => ({ level, status }));
    expect(requests).to.deep.equal([
      { level: 20, status: 200 },
      { level: 30, status: 401 },
    ]);
  });

  it('acknowledges a redelivery with the same webhook id and counts the order once', async () => {
    const headers = { 'X-Shopify-Webhook-Id': `dup-${store.storeId}` };
    const first = await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(2001, { total: '40.00' }), headers).expect(200);
    const again = await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(2001, { total: '40.00' }), headers).expect(200);
    expect([first.body.duplicate, again.body.duplicate]).to.deep.equal([false, true]);
    const board = await eventuallyPasses(async () => {
      const d = await dashboard(store);
      expect(d.figures.today.orders).to.equal(1);
      return d;
    });
    expect(board.figures.today.revenueMinor).to.equal(4000);
    expect(board.figures.yesterday).to.include({ revenueMinor: 0, orders: 0 });
    expect(board.figures.revenueByHour).to.have.length(24);
    expect(board.figures.revenueByHour.filter((h: { revenueMinor: number }) => h.revenueMinor).map((h: { revenueMinor: number; orders: number }) => [h.revenueMinor, h.orders])).to.deep.equal([[4000, 1]]);
    expect(await events()).to.have.length(1);
    const [event] = await events();
    expect(event).to.include({ event_id: event.event_id, status: 'applied' });
    expect(event.triggered_at).to.be.instanceOf(Date);
  });

  it('answers each of concurrent deliveries on its own: a redelivery among them is a duplicate, one to a store removed meanwhile 404', async () => {
    const twice = { 'X-Shopify-Webhook-Id': `concurrent-${store.storeId}` };
    const first = await Promise.all([
      shopifyWebhook(stack, store, 'orders/create', shopifyOrder(1601)),
      shopifyWebhook(stack, store, 'orders/create', shopifyOrder(1602), twice),
      shopifyWebhook(stack, store, 'orders/create', shopifyOrder(1602), twice),
      shopifyWebhook(stack, store, 'orders/create', shopifyOrder(1603)),
    ]);
    expect(first.map((a) => a.status)).to.deep.equal([200, 200, 200, 200]);
    expect(first.map((a) => a.body.duplicate).sort()).to.deep.equal([false, false, false, true]);

    const gone = await connectStore(stack, 'shopify');
    await shopifyWebhook(stack, gone, 'orders/create', shopifyOrder(1501)).expect(200);
    // Removed as shop/redact removes it, in the worker: this process still knows its secret.
    await testDb()('stores').where({ id: gone.storeId }).delete();
    const second = await Promise.all([
      shopifyWebhook(stack, store, 'orders/create', shopifyOrder(1604)),
      shopifyWebhook(stack, gone, 'orders/create', shopifyOrder(1502)),
      shopifyWebhook(stack, store, 'orders/create', shopifyOrder(1605)),
    ]);
    expect(second.map((a) => a.status)).to.deep.equal([200, 404, 200]);
    expect(second[1].body.type).to.match(/not-found$/);
    expect((await events()).map((e) => JSON.parse(e.body).id)).to.have.members([1601, 1602, 1603, 1604, 1605]);
    await eventuallyPasses(async () => expect((await dashboard(store)).figures.today.orders).to.equal(5));
  });

  it('answers 400 to a malformed body with a good signature, keeps it for inspection and changes nothing else', async () => {
    const res = await shopifyWebhook(stack, store, 'orders/create', { id: 5, total_price: 'lots' }).expect(400);
    expect(res.body.stored).to.equal(true);
    const [event] = await events();
    expect(event.status).to.equal('malformed');
    expect(await testDb()('store_orders').where({ store_id: store.storeId })).to.have.length(0);
    await shopifyWebhook(stack, store, 'orders/create', '{not json').expect(400);
    expect((await events()).map((e) => e.status)).to.deep.equal(['malformed', 'malformed']);
  });

  it('answers deliveries before Express as Express did: problems as problem+json, any case and a trailing slash, too large 413, other methods not ours', async () => {
    const body = JSON.stringify(shopifyOrder(1501));
    const hmac = createHmac('sha256', store.secret).update(body).digest('base64');
    const post = (path: string, payload = body) =>
      request(stack.app).post(path).set('Content-Type', 'application/json').set('X-Shopify-Topic', 'orders/create').set('X-Shopify-Webhook-Id', `edge-${Math.random()}`).set('X-Shopify-Hmac-Sha256', hmac).send(payload);
    const ok = await post(`/WebHooks/Shopify/${store.storeId}/?via=test`).expect(200);
    expect(ok.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(ok.body).to.deep.equal({ ok: true, duplicate: false });
    const refused = await post(`/webhooks/shopify/${store.storeId}`, `${body} `).expect(401);
    expect(refused.headers['content-type']).to.equal('application/problem+json; charset=utf-8');
    expect(refused.body).to.include({ type: 'https://pulseboard.dev/problems/bad-signature', status: 401, instance: `/webhooks/shopify/${store.storeId}` });
    expect((await post('/webhooks/shopify/not-a-store').expect(404)).body.type).to.equal('https://pulseboard.dev/problems/not-found');
    expect((await post(`/webhooks/woocommerce/${store.storeId}`).expect(404)).body.detail).to.equal('No such store.');
    expect((await post(`/webhooks/shopify/${store.storeId}`, 'x'.repeat(2 * 1024 * 1024 + 1)).expect(413)).body.type).to.equal('https://pulseboard.dev/problems/too-large');
    await request(stack.app).put(`/webhooks/shopify/${store.storeId}`).send(body).expect(404);
    expect(await events()).to.have.length(1);
  });

  it('lets the newest version of an order win whatever order the deliveries come in', async () => {
    const created = '2026-11-20T10:00:00Z';
    await shopifyWebhook(stack, store, 'orders/updated', shopifyOrder(3001, { total: '80.00', createdAt: created, updatedAt: '2026-11-20T10:05:00Z', quantity: 4 })).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(3001, { total: '20.00', createdAt: created, quantity: 1 })).expect(200);
    await eventuallyPasses(async () => expect((await events()).map((e) => e.status)).to.have.members(['applied', 'stale']));
    const order = await testDb()('store_orders').where({ store_id: store.storeId, external_id: '3001' }).first();
    expect(order).to.include({ total_minor: 8000, units: 4 });
    const lines = () => testDb()('store_order_lines').where({ store_id: store.storeId, order_external_id: '3001' }).select('line_id', 'quantity');
    expect(await lines()).to.deep.equal([{ line_id: '30010', quantity: 4 }]);
    const daily = await testDb()('store_metrics_daily').where({ store_id: store.storeId });
    expect(daily.map((d) => [d.orders, Number(d.revenue_minor), d.units])).to.deep.equal([[1, 8000, 4]]);

    // A cancellation takes the order out of the figures.
    await shopifyWebhook(stack, store, 'orders/updated', shopifyOrder(3001, { total: '80.00', createdAt: created, updatedAt: '2026-11-20T11:00:00Z', cancelled: true })).expect(200);
    await eventuallyPasses(async () => {
      const [day] = await testDb()('store_metrics_daily').where({ store_id: store.storeId });
      expect([day.orders, Number(day.revenue_minor)]).to.deep.equal([0, 0]);
    });
    // The new version's lines replace the old ones.
    expect(await lines()).to.deep.equal([{ line_id: '30010', quantity: 1 }]);
  });

  it('counts revenue on the store’s own calendar day across its midnight', async () => {
    const tokyo = await connectStore(stack, 'shopify', { timezone: 'Asia/Tokyo', currency: 'JPY' });
    // 14:59Z is 23:59 in Tokyo on the 20th; 15:01Z is 00:01 on the 21st.
    const order = (id: number, at: string, total: string) => ({ ...shopifyOrder(id, { createdAt: at, total }), currency: 'JPY' });
    await shopifyWebhook(stack, tokyo, 'orders/create', order(4001, '2026-11-20T14:59:00Z', '1000')).expect(200);
    await shopifyWebhook(stack, tokyo, 'orders/create', order(4002, '2026-11-20T15:01:00Z', '3000')).expect(200);
    await shopifyWebhook(stack, tokyo, 'orders/create', order(4003, '2026-11-20T15:30:00Z', '2001')).expect(200);
    // All three applied (they may reach the actor in more than one signal), then the days' figures.
    const exported = await eventuallyPasses(async () => {
      expect((await events(tokyo.storeId)).map((e) => e.status)).to.deep.equal(['applied', 'applied', 'applied']);
      return (await tokyo.owner.agent.get(`/api/v1/orgs/${tokyo.orgId}/stores/export`).expect(200)).body.stores[0];
    });
    const days = exported.metricsDaily.map((d: { local_date: string; revenue_minor: number; orders: number }) => [d.local_date.slice(0, 10), Number(d.revenue_minor), d.orders]);
    expect(days).to.deep.equal([
      ['2026-11-20', 1000, 1],
      ['2026-11-21', 5001, 2],
    ]);
    const hours = exported.metricsHourly.map((h: { local_hour: number; orders: number }) => [h.local_hour, h.orders]);
    expect(hours).to.deep.equal([
      [23, 1],
      [0, 2],
    ]);
  });

  it('fires a high-value alert once, in-app and by email to the owner', async () => {
    const big = shopifyOrder(5001, { total: '900.00' });
    await shopifyWebhook(stack, store, 'orders/create', big).expect(200);
    await shopifyWebhook(stack, store, 'orders/updated', { ...big, updated_at: new Date(Date.now() + 1000).toISOString() }).expect(200);
    await eventuallyPasses(async () => expect((await events()).every((e) => e.status === 'applied')).to.equal(true));
    const alerts = (await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/alerts`).expect(200)).body.alerts;
    expect(alerts.map((a: { kind: string }) => a.kind)).to.deep.equal(['high_value_order']);
    const notes = await testDb()('notifications').where({ user_id: store.owner.user.id, kind: 'store.high_value_order' });
    expect(notes).to.have.length(1);
    const mails = await testDb()('dev_outbox').where({ to_address: store.owner.user.email });
    expect(mails.map((m) => m.subject)).to.deep.equal(['High-value order #5001 at Test Shop']);
  });

  it('fires a low-stock alert once per shortage, and again after stock recovered', async () => {
    const level = (available: number, minute: number) => ({ inventory_item_id: 808, location_id: 1, available, updated_at: `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z` });
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(3, 1)).expect(200);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(2, 2)).expect(200);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(50, 3)).expect(200);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(1, 4)).expect(200);
    await eventuallyPasses(async () => expect((await events()).every((e) => e.status === 'applied')).to.equal(true));
    const alerts = await testDb()('store_alerts').where({ store_id: store.storeId, kind: 'low_stock' }).orderBy('id');
    expect(alerts.map((a) => a.cleared_at === null)).to.deep.equal([false, true]);
    const board = await dashboard(store);
    expect(board.lowStock).to.deep.equal([{ itemId: '808', locationId: '1', title: null, available: 1, threshold: 5 }]);
    expect(board.figures.lowStock).to.equal(1);
  });

  it('alerts once per product while any of its locations is short, and clears when all are stocked', async () => {
    const level = (location: number, available: number) => ({ inventory_item_id: 707, location_id: location, available, updated_at: new Date().toISOString() });
    const openAlerts = async () => (await testDb()('store_alerts').where({ store_id: store.storeId, kind: 'low_stock' }).orderBy('id')).map((a) => a.cleared_at === null);
    const applyAll = () => eventuallyPasses(async () => expect((await events()).every((e) => e.status === 'applied')).to.equal(true));
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(1, 2)).expect(200);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(2, 1)).expect(200);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(1, 40)).expect(200);
    await applyAll();
    expect(await openAlerts()).to.deep.equal([true]);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(2, 30)).expect(200);
    await applyAll();
    expect(await openAlerts()).to.deep.equal([false]);
  });

  it('lists the best sellers of the last 30 days by title, among the orders that count', async () => {
    const order = (id: number, title: string, price: string, quantity: number, extra: Record<string, unknown> = {}) => ({
      ...shopifyOrder(id),
      total_price: (Number(price) * quantity).toFixed(2),
      line_items: [{ id: id * 10, product_id: 1, sku: null, title, quantity, price }],
      ...extra,
    });
    await shopifyWebhook(stack, store, 'orders/create', order(9301, 'Titanium mug', '24.90', 2)).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', order(9302, 'Two-person tent', '189.00', 1)).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', order(9303, 'Titanium mug', '24.90', 1)).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', order(9304, 'Head lamp', '39.00', 9, { currency: 'USD' })).expect(200); // rejected: not counted
    await eventuallyPasses(async () =>
      expect((await dashboard(store)).topProducts).to.deep.equal([
        { title: 'Two-person tent', units: 1, salesMinor: 18_900 },
        { title: 'Titanium mug', units: 3, salesMinor: 7_470 },
      ]),
    );
  });

  it('names the product in low-stock alerts and lists, from products/update, whichever comes first', async () => {
    const level = (item: number, available: number) => ({ inventory_item_id: item, location_id: 1, available, updated_at: new Date().toISOString() });
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(901, 2)).expect(200);
    await eventuallyPasses(async () => expect((await events()).every((e) => e.status === 'applied')).to.equal(true));
    const product = { id: 77, title: 'Titanium mug', variants: [{ id: 1, title: 'Default Title', inventory_item_id: 902 }] };
    await shopifyWebhook(stack, store, 'products/update', { id: 76, title: 'Two-person tent', variants: [{ id: 2, title: 'Green', inventory_item_id: 901 }, { id: 3, title: 'Blue', inventory_item_id: 903 }] }).expect(200);
    await shopifyWebhook(stack, store, 'products/update', product).expect(200);
    await shopifyWebhook(stack, store, 'inventory_levels/update', level(902, 1)).expect(200);
    await eventuallyPasses(async () => {
      const board = await dashboard(store);
      expect(board.lowStock.map((l: { title: string }) => l.title)).to.deep.equal(['Titanium mug', 'Two-person tent – Green']);
      expect(board.alerts.map((a: { title: string }) => a.title)).to.include("Low stock: Titanium mug at Test Shop");
    });
  });

  it('applies every topic: carts count as open until ordered, GDPR redact erases the customer, shop/redact removes the store', async () => {
    await shopifyWebhook(stack, store, 'carts/create', { id: 'c1', token: 'cart-1', created_at: new Date().toISOString(), line_items: [{ price: '5.00', quantity: 2, line_price: '10.00' }] }).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(6001, { email: 'jane@example.test' })).expect(200);
    await shopifyWebhook(stack, store, 'customers/data_request', { shop_id: 1, shop_domain: 'x.myshopify.com', customer: { id: 11001, email: 'jane@example.test' }, orders_requested: [6001], data_request: { id: 9 } }).expect(200);
    await eventuallyPasses(async () => expect((await dashboard(store)).figures.openCarts).to.equal(1));
    await shopifyWebhook(stack, store, 'customers/redact', { shop_id: 1, shop_domain: 'x.myshopify.com', customer: { id: 11001, email: 'jane@example.test' }, orders_to_redact: [6001] }).expect(200);
    await eventuallyPasses(async () => {
      const order = await testDb()('store_orders').where({ store_id: store.storeId, external_id: '6001' }).first();
      expect(order.customer_email).to.equal(null);
    });
    const bodies = (await events()).map((e) => e.body).join('\n');
    expect(bodies).not.to.contain('jane@example.test');
    await shopifyWebhook(stack, store, 'some/other_topic', { id: 1 }).expect(200);
    await shopifyWebhook(stack, store, 'shop/redact', { shop_id: 1, shop_domain: 'x.myshopify.com' }).expect(200);
    await eventuallyPasses(async () => expect(await testDb()('stores').where({ id: store.storeId })).to.have.length(0));
    expect(await testDb()('store_orders').where({ store_id: store.storeId })).to.have.length(0);
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(6002)).expect(404);
  });

  it('takes WooCommerce deliveries signed with X-WC-Webhook-Signature, and its unsigned ping', async () => {
    const woo = await connectStore(stack, 'woocommerce');
    await request(stack.app).post(`/webhooks/woocommerce/${woo.storeId}`).type('form').send('webhook_id=12').expect(200);
    const order = { id: 71, number: '71', status: 'processing', currency: 'EUR', total: '12.50', date_created_gmt: '2026-11-20T09:00:00', date_modified_gmt: '2026-11-20T09:00:00', line_items: [{ id: 1, product_id: 3, sku: 'T', name: 'Tea', quantity: 2, price: 6.25 }] };
    await wooWebhook(stack, woo, 'order.created', order).expect(200);
    await wooWebhook(stack, woo, 'order.created', order, { 'X-WC-Webhook-Signature': 'AAAA' }).expect(401);
    await wooWebhook(stack, woo, 'product.updated', { id: 3, name: 'Tea', manage_stock: true, stock_quantity: 0, date_modified_gmt: '2026-11-20T09:01:00' }).expect(200);
    await eventuallyPasses(async () => {
      const [day] = await testDb()('store_metrics_daily').where({ store_id: woo.storeId });
      expect([day?.orders, Number(day?.revenue_minor)]).to.deep.equal([1, 1250]);
      expect(await testDb()('store_alerts').where({ store_id: woo.storeId, kind: 'low_stock' })).to.have.length(1);
    });
  });

  it('hides a store from outsiders (404) and lets members read but not manage it', async () => {
    const outsider = await signedInAs(stack.app, 'customer');
    await outsider.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/dashboard`).expect(404);
    await outsider.agent.get(`/api/v1/orgs/${store.orgId}/stores`).expect(404);
    await outsider.agent.delete(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}`).set('X-CSRF-Token', outsider.csrf).expect(404);
    const other = await connectStore(stack, 'shopify');
    await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${other.storeId}`).expect(404);
    await store.owner.agent.get(`/api/v1/orgs/${other.orgId}/stores/${other.storeId}/dashboard`).expect(404);
  });
});
