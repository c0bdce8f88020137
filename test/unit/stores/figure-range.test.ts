import { expect } from 'chai';
import { bucketsOf, comparisonOf, figureRangeQuerySchema, instantsOf, percentChange } from '../../../domain/stores/figure-range.ts';
import { figureMovesOf, mergedRefunds } from '../../../domain/stores/metric-buckets.ts';
import { parseShopifyGraphqlOrder, parseShopifyOrder, parseShopifyRefund, parseWooOrder } from '../../../domain/stores/payloads.ts';

describe('store figures over a date range', () => {
  it('compares a range with as many days just before it, or the same days a year earlier', () => {
    expect(comparisonOf({ from: '2026-12-01', to: '2026-12-07' }, 'previous')).to.deep.equal({ from: '2026-11-24', to: '2026-11-30' });
    expect(comparisonOf({ from: '2026-03-01', to: '2026-03-01' }, 'previous')).to.deep.equal({ from: '2026-02-28', to: '2026-02-28' });
    expect(comparisonOf({ from: '2028-02-29', to: '2028-03-01' }, 'year')).to.deep.equal({ from: '2027-02-28', to: '2027-03-01' });
    expect(comparisonOf({ from: '2026-12-01', to: '2026-12-07' }, 'none')).to.equal(null);
  });

  it('goes by hour up to two days and by day beyond, 24 hours to every day of the store', () => {
    const parse = (query: Record<string, string>) => figureRangeQuerySchema.parse(query);
    expect(parse({ from: '2026-12-06', to: '2026-12-07' })).to.deep.equal({ range: { from: '2026-12-06', to: '2026-12-07' }, compare: 'previous', bucket: 'hour' });
    expect(parse({ from: '2026-12-01', to: '2026-12-07' }).bucket).to.equal('day');
    expect(parse({ from: '2026-12-01', to: '2026-12-07', bucket: 'hour' }).bucket).to.equal('hour');
    // The day Berlin's clocks go back has 25 hours, the one they go forward 23: both are 24 buckets.
    expect(bucketsOf({ from: '2026-10-25', to: '2026-10-25' }, 'hour')).to.have.length(24);
    expect(bucketsOf({ from: '2026-03-28', to: '2026-03-29' }, 'hour').slice(23, 26)).to.deep.equal(['2026-03-28T23', '2026-03-29T00', '2026-03-29T01']);
    expect(bucketsOf({ from: '2026-12-30', to: '2027-01-02' }, 'day')).to.deep.equal(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    const { start, end } = instantsOf({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/Berlin');
    expect([start.toISOString(), (end.getTime() - start.getTime()) / 3_600_000]).to.deep.equal(['2026-10-24T22:00:00.000Z', 25]);
  });

  it('states the change in percent, and none where there was nothing to compare with', () => {
    expect(percentChange(150, 40)).to.equal(275);
    expect(percentChange(4500, 4000)).to.equal(12.5);
    expect(percentChange(-20, 40)).to.equal(-150);
    expect(percentChange(10, -20)).to.equal(150);
    expect(percentChange(10, 0)).to.equal(null);
  });

  it('moves an order’s total to when it was placed and each refund to when it was made, never more than the total', () => {
    const placedAt = new Date('2026-11-03T10:00:00Z');
    const moves = figureMovesOf({
      placedAt,
      totalMinor: 10_000,
      units: 2,
      refunds: { b: { amountMinor: 9_000, at: '2026-11-07T08:00:00.000Z' }, a: { amountMinor: 3_000, at: '2026-11-05T12:00:00.000Z' }, early: { amountMinor: 500, at: '2026-11-01T00:00:00.000Z' } },
    });
    expect(moves.map((m) => [m.at.toISOString(), m.revenueMinor, m.refundsMinor, m.orders, m.units])).to.deep.equal([
      [placedAt.toISOString(), 10_000, 0, 1, 2],
      // Dated before its order (a clock gone wrong): on the order's hour.
      [placedAt.toISOString(), -500, 500, 0, 0],
      ['2026-11-05T12:00:00.000Z', -3_000, 3_000, 0, 0],
      ['2026-11-07T08:00:00.000Z', -6_500, 6_500, 0, 0],
    ]);
  });

  it('keeps a refund held, takes a newer version’s amount and keeps the date it was first held with', () => {
    const held = { a: { amountMinor: 0, at: '2026-11-05T12:00:00.000Z' }, b: { amountMinor: 700, at: '2026-11-06T08:00:00.000Z' } };
    expect(mergedRefunds(held, { a: { amountMinor: 3_000, at: '2026-11-09T00:00:00.000Z' }, c: { amountMinor: 100, at: '2026-11-09T00:00:00.000Z' } })).to.deep.equal({
      a: { amountMinor: 3_000, at: '2026-11-05T12:00:00.000Z' },
      b: { amountMinor: 700, at: '2026-11-06T08:00:00.000Z' },
      c: { amountMinor: 100, at: '2026-11-09T00:00:00.000Z' },
    });
  });

  it('dates each refund: Shopify’s when it was processed, WooCommerce’s by the first version of the order naming it', () => {
    const order = { id: 1, name: '#1', created_at: '2026-11-03T10:00:00Z', updated_at: '2026-11-06T09:00:00Z', financial_status: 'refunded', total_price: '20.00', currency: 'EUR', line_items: [{ id: 2, title: 'Mug', quantity: 1, price: '20.00' }] };
    const refund = { id: 7, created_at: '2026-11-05T12:00:00Z', processed_at: '2026-11-04T12:00:00Z', transactions: [{ kind: 'refund', status: 'success', amount: '20.00' }] };
    const shopify = parseShopifyOrder({ ...order, refunds: [refund] });
    expect(shopify).to.include({ countable: true, status: 'refunded' });
    expect(shopify.refunds).to.deep.equal({ '7': { amountMinor: 2_000, at: '2026-11-04T12:00:00.000Z' } });
    expect(parseShopifyRefund({ ...refund, order_id: 1, processed_at: null }, 'EUR')).to.deep.equal({ orderId: '1', refundId: '7', amountMinor: 2_000, at: '2026-11-05T12:00:00.000Z' });
    // A customer who paid in USD is refunded in USD: the shop's EUR is read off the refund's own lines.
    const usd = (shop: string, paid: string) => ({ shop_money: { amount: shop, currency_code: 'EUR' }, presentment_money: { amount: paid, currency_code: 'USD' } });
    const inUsd = { id: 8, order_id: 1, created_at: '2026-11-05T12:00:00Z', transactions: [{ kind: 'refund', status: 'success', amount: '32.40', currency: 'USD' }], refund_line_items: [{ subtotal_set: usd('25.00', '27.00'), total_tax_set: usd('5.00', '5.40') }] };
    expect(parseShopifyRefund(inUsd, 'EUR')).to.include({ amountMinor: 3_000 });
    const graphql = parseShopifyGraphqlOrder({
      id: 'gid://shopify/Order/1',
      name: '#1',
      createdAt: '2026-11-03T10:00:00Z',
      updatedAt: '2026-11-06T09:00:00Z',
      totalPriceSet: { shopMoney: { amount: '20.00', currencyCode: 'EUR' } },
      refunds: [{ id: 'gid://shopify/Refund/7', createdAt: '2026-11-05T12:00:00Z', totalRefundedSet: { shopMoney: { amount: '5.00', currencyCode: 'EUR' } } }],
      lineItems: { nodes: [] },
    });
    expect(graphql.refunds).to.deep.equal({ '7': { amountMinor: 500, at: '2026-11-05T12:00:00.000Z' } });
    const woo = parseWooOrder({ id: 3, number: 3, status: 'refunded', currency: 'EUR', total: '20.00', date_created_gmt: '2026-11-03T10:00:00', date_modified_gmt: '2026-11-06T09:00:00', refunds: [{ id: 9, total: '-20.00' }] });
    expect(woo).to.include({ countable: true });
    expect(woo.refunds).to.deep.equal({ '9': { amountMinor: 2_000, at: '2026-11-06T09:00:00.000Z' } });
  });
});
