import type { Knex } from 'knex';

/**
 * Refunds take net sales off the day they were made, not the order's day (as Shopify's reports
 * do), so each refund keeps its date: `refunds` becomes `{ refundId: { amountMinor, at } }`. The
 * figures also keep what refunds took off each hour and day (`refunds_minor`), so that an average
 * order is the orders' value, not dragged below zero by last week's refunds.
 *
 * Refunds held before this migration were counted on their order's hour: they are dated at the
 * order's placing, which leaves every figure as it was.
 */
export async function up(db: Knex): Promise<void> {
  for (const table of ['store_metrics_hourly', 'store_metrics_daily']) {
    await db.schema.alterTable(table, (t) => {
      t.bigInteger('refunds_minor').notNullable().defaultTo(0);
    });
  }
  await db.raw(`
    update store_orders o set refunds = (
      select jsonb_object_agg(r.key, jsonb_build_object('amountMinor', r.value, 'at', to_char(o.placed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      from jsonb_each(o.refunds) r
    )
    where o.refunds <> '{}'::jsonb`);
  // What the old rule took off each hour and day: the refunds, never more than the total.
  const taken = `
    select o.store_id, o.placed_at at time zone s.timezone as local_at,
      least(greatest(o.total_minor, 0), (select coalesce(sum((r.value ->> 'amountMinor')::bigint), 0) from jsonb_each(o.refunds) r)) as refunded
    from store_orders o join stores s on s.id = o.store_id
    where o.counted and o.refunds <> '{}'::jsonb`;
  await db.raw(`
    update store_metrics_hourly h set refunds_minor = h.refunds_minor + t.refunded
    from (select store_id, date_trunc('hour', local_at) as local_hour, sum(refunded) as refunded from (${taken}) x group by 1, 2) t
    join stores s on s.id = t.store_id
    where h.store_id = t.store_id and h.hour_start = t.local_hour at time zone s.timezone`);
  await db.raw(`
    update store_metrics_daily d set refunds_minor = d.refunds_minor + t.refunded
    from (select store_id, local_at::date as local_date, sum(refunded) as refunded from (${taken}) x group by 1, 2) t
    where d.store_id = t.store_id and d.local_date = t.local_date`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    update store_orders o set refunds = (select jsonb_object_agg(r.key, r.value -> 'amountMinor') from jsonb_each(o.refunds) r)
    where o.refunds <> '{}'::jsonb`);
  for (const table of ['store_metrics_hourly', 'store_metrics_daily']) {
    await db.schema.alterTable(table, (t) => {
      t.dropColumn('refunds_minor');
    });
  }
}
