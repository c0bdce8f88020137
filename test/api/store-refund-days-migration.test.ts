import { expect } from 'chai';
import type { Db } from '../../db/connection.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { down, up } from '../../db/migrations/20261207020000_store_refund_days.ts';
import { databaseOfItsOwn } from '../support/own-database.ts';

/**
 * Refunds held before they kept their dates were taken off their order's hour: the migration
 * dates them there, and records what they took off each hour and day, so no figure moves.
 */
describe('migration: refunds keep their dates', () => {
  let db: Db;

  before(async () => {
    db = await databaseOfItsOwn('refund_days');
    await migrateLatest(db);
  });
  after(() => db.destroy());

  it('dates the refunds held at their order’s placing and keeps each hour’s and day’s figures', async () => {
    await down(db);
    const [org] = await db('organizations').insert({ name: 'Shop Org' }).returning('id');
    const [store] = await db('stores')
      .insert({ organization_id: org.id, platform: 'shopify', name: 'Shop', domain: 'x.myshopify.com', api_base_url: 'https://x.myshopify.com', credentials_sealed: '-', webhook_secret_sealed: '-', timezone: 'Asia/Kathmandu', currency: 'EUR', high_value_threshold_minor: 1, low_stock_threshold: 1, revenue_drop_percent: 50 })
      .returning('id');
    const order = (id: string, total: number, refunds: Record<string, number>, counted = true) => ({
      store_id: store.id, external_id: id, name: `#${id}`, status: 'paid', total_minor: total, currency: 'EUR', units: 1,
      placed_at: '2026-11-03T10:20:00Z', remote_updated_at: '2026-11-03T10:20:00Z', counted, counted_revenue_minor: counted ? Math.max(0, total - Object.values(refunds).reduce((a, b) => a + b, 0)) : 0, counted_units: 1, refunds: JSON.stringify(refunds),
    });
    // Kathmandu is 5:45 ahead: 10:20 UTC is 16:05 there, the hour that began at 10:15 UTC.
    await db('store_orders').insert([order('1', 10_000, { r1: 3_000 }), order('2', 1_000, { r2: 600, r3: 600 }), order('3', 5_000, { r4: 100 }, false)]);
    await db('store_metrics_hourly').insert({ store_id: store.id, hour_start: '2026-11-03T10:15:00Z', local_date: '2026-11-03', local_hour: 16, revenue_minor: 7_000, orders: 2, units: 2 });
    await db('store_metrics_daily').insert({ store_id: store.id, local_date: '2026-11-03', revenue_minor: 7_000, orders: 2, units: 2 });

    await up(db);
    const refunds = Object.fromEntries((await db('store_orders').orderBy('external_id').select('external_id', 'refunds')).map((r) => [r.external_id, r.refunds]));
    expect(refunds).to.deep.equal({
      '1': { r1: { amountMinor: 3_000, at: '2026-11-03T10:20:00.000Z' } },
      '2': { r2: { amountMinor: 600, at: '2026-11-03T10:20:00.000Z' }, r3: { amountMinor: 600, at: '2026-11-03T10:20:00.000Z' } },
      '3': { r4: { amountMinor: 100, at: '2026-11-03T10:20:00.000Z' } },
    });
    // 3,000 and 1,000 (never more than the order's total); the order not counted took nothing off.
    expect(await db('store_metrics_hourly').first('revenue_minor', 'refunds_minor')).to.deep.equal({ revenue_minor: 7_000, refunds_minor: 4_000 });
    expect(await db('store_metrics_daily').first('revenue_minor', 'refunds_minor')).to.deep.equal({ revenue_minor: 7_000, refunds_minor: 4_000 });
  });
});
