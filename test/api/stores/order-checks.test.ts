import { expect } from 'chai';
import { backendStack, type Stack } from '../../support/stack.ts';
import { eventuallyPasses } from '../../support/eventually.ts';
import { connectStore, dashboard, shopifyOrder, shopifyWebhook, type ConnectedStore } from './support.ts';

/**
 * Orders that must not move the figures are kept, marked rejected with the reason, and shown;
 * refunds take their amount off net sales once; a multi-currency order counts its shop money.
 */
describe('store orders checked at ingest', function () {
  this.timeout(60_000);
  let stack: Stack;
  let store: ConnectedStore;

  before(async () => {
    stack = await backendStack();
  });
  beforeEach(async () => {
    store = await connectStore(stack, 'shopify'); // a EUR store
  });

  const todayRevenue = async () => (await dashboard(store)).figures.today;

  async function rejectedWith(order: Record<string, unknown>, reason: RegExp): Promise<void> {
    await shopifyWebhook(stack, store, 'orders/create', order).expect(200);
    // The dashboard's lists are read side by side, not in one snapshot: one may show the order a moment before the other.
    const board = await eventuallyPasses(async () => {
      const b = await dashboard(store);
      for (const list of [b.rejectedOrders, b.recentOrders]) expect(list.map((o: { name: string }) => o.name)).to.include(order.name);
      return b;
    });
    for (const list of [board.rejectedOrders, board.recentOrders]) expect(list.find((o: { name: string }) => o.name === order.name).rejectedReason).to.match(reason);
  }

  it('keeps but never counts an order with a negative total', async () => {
    await rejectedWith(shopifyOrder(9101, { total: '-500.00' }), /negative total/);
    expect(await todayRevenue()).to.include({ revenueMinor: 0, orders: 0 });
  });

  it('keeps but never counts an order in another currency than the store\u2019s', async () => {
    await rejectedWith({ ...shopifyOrder(9102, { total: '80.00' }), currency: 'USD' }, /currency USD, not the store's EUR/);
    expect(await todayRevenue()).to.include({ revenueMinor: 0, orders: 0 });
  });

  it('keeps but never counts an order with an impossible or future date', async () => {
    await rejectedWith({ ...shopifyOrder(9103), created_at: '2026-02-30T10:00:00Z', updated_at: '2026-02-30T10:00:00Z' }, /impossible date created_at "2026-02-30T10:00:00Z"/);
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await rejectedWith(shopifyOrder(9104, { createdAt: future }), /placed in the future/);
    expect(await todayRevenue()).to.include({ revenueMinor: 0, orders: 0 });
  });

  it('keeps but never counts an order without line items', async () => {
    const { line_items: _, ...lineless } = shopifyOrder(9105);
    await rejectedWith(lineless, /no line items/);
    await rejectedWith({ ...shopifyOrder(9106), line_items: [] }, /no line items/);
    expect(await todayRevenue()).to.include({ revenueMinor: 0, orders: 0 });
  });

  it('counts a multi-currency order in shop money, and takes refunds off net sales once', async () => {
    const multi = {
      ...shopifyOrder(9201, { total: '54.00' }),
      currency: 'EUR',
      presentment_currency: 'USD',
      total_price: '54.00',
      total_price_set: { shop_money: { amount: '50.00', currency_code: 'EUR' }, presentment_money: { amount: '54.00', currency_code: 'USD' } },
    };
    await shopifyWebhook(stack, store, 'orders/create', multi).expect(200);
    await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(9202, { total: '100.00' })).expect(200);
    await eventuallyPasses(async () => expect(await todayRevenue()).to.include({ revenueMinor: 15_000, orders: 2 }));

    const refund = { id: 555, order_id: 9202, created_at: new Date().toISOString(), transactions: [{ kind: 'refund', status: 'success', amount: '30.00' }] };
    await shopifyWebhook(stack, store, 'refunds/create', refund).expect(200);
    await eventuallyPasses(async () => expect(await todayRevenue()).to.include({ revenueMinor: 12_000, orders: 2 }));
    // The same refund again (a redelivery under a new webhook id), then the order's update naming it: still once.
    await shopifyWebhook(stack, store, 'refunds/create', refund).expect(200);
    const updated = { ...shopifyOrder(9202, { total: '100.00', updatedAt: new Date(Date.now() + 1_000).toISOString() }), refunds: [refund] };
    await shopifyWebhook(stack, store, 'orders/updated', updated).expect(200);
    await eventuallyPasses(async () => {
      const board = await dashboard(store);
      expect(board.recentOrders.find((o: { name: string }) => o.name === '#9202')).to.include({ refundedMinor: 3_000, rejectedReason: null });
      expect(board.figures.today).to.include({ revenueMinor: 12_000, orders: 2 });
    });

    await shopifyWebhook(stack, store, 'orders/create', { ...shopifyOrder(9203, { total: '-5.00' }), name: '=HYPERLINK("x")' }).expect(200);
    await eventuallyPasses(async () => {
      const csv = await store.owner.agent.get(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/orders.csv`).expect(200).expect('content-type', /text\/csv/);
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).to.equal('order,placed_at,status,currency,total,refunded,net_sales,units,counted,not_counted_because');
      expect(lines.find((l) => l.startsWith('#9201,'))).to.match(/,paid,EUR,50\.00,0\.00,50\.00,1,yes,$/);
      expect(lines.find((l) => l.startsWith('#9202,'))).to.match(/,paid,EUR,100\.00,30\.00,70\.00,1,yes,$/);
      expect(lines.find((l) => l.includes('HYPERLINK'))).to.match(/^"'=HYPERLINK\(""x""\)",.*,-5\.00,0\.00,0\.00,1,no,negative total$/);
    });
  });
});
