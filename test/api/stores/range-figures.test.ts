import { expect } from 'chai';
import request from 'supertest';
import { backendStack, type Stack } from '../../support/stack.ts';
import { eventuallyPasses } from '../../support/eventually.ts';
import { addMember, signedInAs } from '../platform/helpers.ts';
import { connectStore, shopifyOrder, shopifyWebhook, type ConnectedStore } from './support.ts';

/**
 * The store's figures over a date range of its own calendar (Europe/Berlin), beside a comparison
 * period: net sales after refunds, each refund on the day it was made; orders, average order and
 * units; rejected orders never count; a multi-currency order counts its shop money.
 */
describe('store figures across a date range', function () {
  this.timeout(90_000);
  let stack: Stack;
  let store: ConnectedStore;

  before(async () => {
    stack = await backendStack();
    store = await connectStore(stack, 'shopify'); // EUR, Europe/Berlin
  });

  const figuresUrl = (query: string, s: ConnectedStore = store) => `/api/v1/orgs/${s.orgId}/stores/${s.storeId}/figures?${query}`;
  const figures = async (query: string) => (await store.owner.agent.get(figuresUrl(query)).expect(200)).body;
  const refund = (id: number, orderId: number, at: string, amount: string) => ({ id, order_id: orderId, created_at: at, processed_at: at, transactions: [{ kind: 'refund', status: 'success', amount }] });

  it('figures across a date range with refunds and a multi-currency order', async () => {
    const send = (topic: string, payload: unknown) => shopifyWebhook(stack, store, topic, payload).expect(200);
    // The comparison periods: the days before, and the same days a year earlier.
    await send('orders/create', shopifyOrder(9300, { total: '40.00', createdAt: '2026-11-01T12:00:00Z' }));
    await send('orders/create', shopifyOrder(9299, { total: '20.00', createdAt: '2025-11-04T10:00:00Z' }));
    // 3 November in Berlin: one order at 00:30 local (still the 2nd in UTC), one at 11:00 of 2 units.
    await send('orders/create', shopifyOrder(9301, { total: '10.00', createdAt: '2026-11-02T23:30:00Z' }));
    await send('orders/create', shopifyOrder(9302, { total: '100.00', quantity: 2, createdAt: '2026-11-03T10:00:00Z' }));
    // 4 November: a customer paying in USD, counted in the shop's EUR; one refunded in full on the 6th; one rejected.
    await send('orders/create', {
      ...shopifyOrder(9303, { total: '54.00', createdAt: '2026-11-04T09:30:00Z' }),
      presentment_currency: 'USD',
      total_price_set: { shop_money: { amount: '50.00', currency_code: 'EUR' }, presentment_money: { amount: '54.00', currency_code: 'USD' } },
    });
    await send('orders/create', shopifyOrder(9304, { total: '20.00', createdAt: '2026-11-04T15:00:00Z' }));
    await send('orders/create', shopifyOrder(9305, { total: '-500.00', createdAt: '2026-11-04T16:00:00Z' }));
    // Refunds come later: 30.00 of the 100.00 order on the 5th; the 20.00 order refunded whole on the 6th (its update says "refunded").
    await send('refunds/create', refund(701, 9302, '2026-11-05T12:00:00Z', '30.00'));
    // The customer who paid in USD gets 27.00 USD back on the 7th: 25.00 of the shop's EUR.
    const usd = (shop: string, paid: string) => ({ shop_money: { amount: shop, currency_code: 'EUR' }, presentment_money: { amount: paid, currency_code: 'USD' } });
    await send('refunds/create', {
      ...refund(703, 9303, '2026-11-07T08:00:00Z', '27.00'),
      transactions: [{ kind: 'refund', status: 'success', amount: '27.00', currency: 'USD' }],
      refund_line_items: [{ quantity: 1, subtotal_set: usd('25.00', '27.00'), total_tax_set: usd('0.00', '0.00') }],
    });
    await send('orders/updated', {
      ...shopifyOrder(9304, { total: '20.00', createdAt: '2026-11-04T15:00:00Z', updatedAt: '2026-11-06T09:00:00Z' }),
      financial_status: 'refunded',
      refunds: [refund(702, 9304, '2026-11-06T09:00:00Z', '20.00')],
    });

    const range = await eventuallyPasses(async () => {
      const body = await figures('from=2026-11-03&to=2026-11-05');
      expect(body.points.map((p: { bucket: string; netSalesMinor: number }) => [p.bucket, p.netSalesMinor])).to.deep.equal([
        ['2026-11-03', 11_000],
        ['2026-11-04', 7_000],
        ['2026-11-05', -3_000],
      ]);
      return body;
    });
    expect(range).to.include({ currency: 'EUR', timezone: 'Europe/Berlin', compare: 'previous', bucket: 'day' });
    // Four orders worth 180.00, 30.00 of it refunded in the range; 2 + 1 + 1 + 1 units; the rejected order nowhere.
    expect(range.current).to.deep.equal({ netSalesMinor: 15_000, refundsMinor: 3_000, orders: 4, units: 5, aovMinor: 4_500 });
    expect(range.comparisonRange).to.deep.equal({ from: '2026-10-31', to: '2026-11-02' });
    expect(range.comparison).to.deep.equal({ netSalesMinor: 4_000, refundsMinor: 0, orders: 1, units: 1, aovMinor: 4_000 });
    expect(range.change).to.deep.equal({ netSales: 275, orders: 300, aov: 12.5, units: 400 });
    expect(range.points.map((p: { comparison: { bucket: string; netSalesMinor: number } }) => [p.comparison.bucket, p.comparison.netSalesMinor])).to.deep.equal([
      ['2026-10-31', 0],
      ['2026-11-01', 4_000],
      ['2026-11-02', 0],
    ]);

    // The full refund takes the 6th down, not the 4th, and no order or unit with it.
    const sixth = await eventuallyPasses(async () => {
      const body = await figures('from=2026-11-06&to=2026-11-06&compare=none');
      expect(body.current).to.deep.equal({ netSalesMinor: -2_000, refundsMinor: 2_000, orders: 0, units: 0, aovMinor: 0 });
      return body;
    });
    expect(sixth.comparison).to.equal(null);
    expect(sixth.change).to.deep.equal({ netSales: null, orders: null, aov: null, units: null });

    await eventuallyPasses(async () => expect((await figures('from=2026-11-07&to=2026-11-07&compare=none')).current).to.include({ netSalesMinor: -2_500, refundsMinor: 2_500 }));

    // One day goes by hour, by the store's clock: 00:30 and 11:00 in Berlin.
    const third = await figures('from=2026-11-03&to=2026-11-03&compare=previous');
    expect(third.bucket).to.equal('hour');
    expect(third.points).to.have.length(24);
    expect(third.points.filter((p: { netSalesMinor: number }) => p.netSalesMinor).map((p: { bucket: string; netSalesMinor: number; orders: number }) => [p.bucket, p.netSalesMinor, p.orders])).to.deep.equal([
      ['2026-11-03T00', 1_000, 1],
      ['2026-11-03T11', 10_000, 1],
    ]);
    expect(third.points[13].comparison).to.deep.equal({ bucket: '2026-11-02T13', netSalesMinor: 0, orders: 0 });

    const lastYear = await figures('from=2026-11-03&to=2026-11-05&compare=year&bucket=day');
    expect(lastYear.comparisonRange).to.deep.equal({ from: '2025-11-03', to: '2025-11-05' });
    expect(lastYear.comparison).to.include({ netSalesMinor: 2_000, orders: 1 });

    // The dashboard's order feed and the CSV agree: the refunded order shows what was refunded.
    const orders = (await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/orders`).expect(200)).body.orders;
    expect(orders.find((o: { name: string }) => o.name === '#9302')).to.include({ refundedMinor: 3_000 });
    expect(orders.find((o: { name: string }) => o.name === '#9304')).to.include({ status: 'refunded', refundedMinor: 2_000 });
  });

  it('refuses a range it cannot answer with a 422 naming the field', async () => {
    const refused = async (query: string, message: RegExp) => {
      const res = await store.owner.agent.get(figuresUrl(query)).expect(422).expect('content-type', /application\/problem\+json/);
      expect(res.body.type).to.equal('https://pulseboard.dev/problems/validation');
      expect(res.body.detail).to.match(message);
    };
    await refused('from=2026-11-05&to=2026-11-03', /to: must be on or after from/);
    await refused('from=2026-02-30&to=2026-03-02', /from/);
    await refused('from=2025-01-01&to=2026-01-02', /at most 366 days/);
    await refused('from=2026-11-01&to=2026-11-20&bucket=hour', /bucket: by hour, a range is at most 7 days/);
    await refused('from=2026-11-01&to=2026-11-02&compare=week', /compare/);
    await refused('to=2026-11-02', /from/);
    await refused('from=2026-11-01T00:00:00Z&to=2026-11-02', /from/);
  });

  it('answers the organization\'s members only, and only for its own stores', async () => {
    const query = 'from=2026-11-03&to=2026-11-05';
    await request(stack.app).get(figuresUrl(query)).expect(401);
    // Someone of no organization of the store's is not told that it exists.
    const stranger = await signedInAs(stack.app, 'customer', stack.ctx.db);
    await stranger.agent.get(figuresUrl(query)).expect(404);
    const member = await signedInAs(stack.app, 'customer', stack.ctx.db);
    await addMember(store.orgId, member.user.id, 'member');
    expect((await member.agent.get(figuresUrl(query)).expect(200)).body.current.orders).to.be.a('number');
    // Another organization's store, asked for under this one: not found.
    const other = await connectStore(stack, 'shopify');
    await store.owner.agent.get(figuresUrl(query, { ...other, orgId: store.orgId })).expect(404);
    await other.owner.agent.get(figuresUrl(query, { ...store, orgId: other.orgId })).expect(404);
  });
});
