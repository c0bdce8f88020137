import type { Knex } from 'knex';

/**
 * Connected Shopify and WooCommerce stores and what their webhooks and backfills become: the raw
 * events (kept, deduplicated by the platform's webhook id), orders with their lines, inventory
 * levels, carts, metrics pre-aggregated per local hour and day, alerts, backfills, and each
 * organization's store plan. Everything under a store goes with it (ON DELETE CASCADE).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('store_subscriptions', (t) => {
    t.bigInteger('organization_id').primary().references('organizations.id').onDelete('CASCADE');
    t.text('plan').notNullable().checkIn(['basic', 'plus', 'pro'], 'store_subscriptions_plan_check');
    t.text('stripe_customer_id');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('store_billing_events', (t) => {
    // The billing provider's event id: a redelivered event changes nothing.
    t.text('id').primary();
    t.text('type').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('stores', (t) => {
    t.bigIncrements('id');
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.text('platform').notNullable().checkIn(['shopify', 'woocommerce'], 'stores_platform_check');
    t.text('name').notNullable();
    /** The shop domain (example.myshopify.com) or the WooCommerce site URL. */
    t.text('domain').notNullable();
    /** Where the store's API answers; defaults from the domain, set explicitly for tests and proxies. */
    t.text('api_base_url').notNullable();
    /** AES-256-GCM sealed JSON: `{ accessToken }` or `{ consumerKey, consumerSecret }`. */
    t.text('credentials_sealed').notNullable();
    t.text('webhook_secret_sealed').notNullable();
    t.text('timezone').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('high_value_threshold_minor').notNullable();
    t.integer('low_stock_threshold').notNullable();
    /** Percent below the same hour last week that counts as a drop. */
    t.integer('revenue_drop_percent').notNullable();
    t.timestamp('last_webhook_at', { useTz: true });
    t.integer('webhook_errors').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('last_error_at', { useTz: true });
    t.timestamp('reconciled_at', { useTz: true });
    /** Set when orders reached us by reconcile that webhooks should have delivered (WooCommerce disables failing hooks). */
    t.timestamp('webhooks_quiet_since', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['organization_id', 'platform', 'domain']);
  });

  await db.schema.createTable('store_webhook_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('webhook_id').notNullable();
    /** Shopify's X-Shopify-Event-Id: one event may be delivered under several webhook ids. */
    t.text('event_id');
    t.text('topic').notNullable();
    t.timestamp('triggered_at', { useTz: true });
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.text('body').notNullable();
    /** received → applied | stale | ignored | malformed | failed */
    t.text('status').notNullable().defaultTo('received');
    t.text('error');
    t.timestamp('processed_at', { useTz: true });
    t.unique(['store_id', 'webhook_id']);
    t.index(['store_id', 'status', 'id']);
  });

  await db.schema.createTable('store_orders', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('external_id').notNullable();
    t.text('name').notNullable();
    t.text('status').notNullable();
    t.bigInteger('total_minor').notNullable();
    t.text('currency').notNullable();
    t.integer('units').notNullable();
    t.text('cart_token');
    t.timestamp('placed_at', { useTz: true }).notNullable();
    t.timestamp('remote_updated_at', { useTz: true }).notNullable();
    /** What this order currently adds to the metrics: a later version moves the figures by the difference. */
    t.bigInteger('counted_revenue_minor').notNullable().defaultTo(0);
    t.integer('counted_units').notNullable().defaultTo(0);
    t.boolean('counted').notNullable().defaultTo(false);
    /** Person-identifying fields, kept only for GDPR export and erased on redact. */
    t.text('customer_external_id');
    t.text('customer_email');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['store_id', 'external_id']);
    t.index(['store_id', 'placed_at']);
    t.index(['store_id', 'customer_external_id']);
  });
  await db.schema.createTable('store_order_lines', (t) => {
    t.bigInteger('store_id').notNullable();
    t.text('order_external_id').notNullable();
    t.text('line_id').notNullable();
    t.text('product_id');
    t.text('sku');
    t.text('title').notNullable();
    t.integer('quantity').notNullable();
    t.bigInteger('price_minor').notNullable();
    t.primary(['store_id', 'order_external_id', 'line_id']);
    t.foreign(['store_id', 'order_external_id']).references(['store_id', 'external_id']).inTable('store_orders').onDelete('CASCADE');
  });

  await db.schema.createTable('store_inventory_levels', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('item_id').notNullable();
    t.text('location_id').notNullable();
    t.text('title');
    t.integer('available').notNullable();
    t.timestamp('remote_updated_at', { useTz: true }).notNullable();
    t.primary(['store_id', 'item_id', 'location_id']);
  });
  await db.schema.createTable('store_stock_thresholds', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('item_id').notNullable();
    t.integer('threshold').notNullable();
    t.primary(['store_id', 'item_id']);
  });

  await db.schema.createTable('store_carts', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('token').notNullable();
    t.bigInteger('total_minor').notNullable();
    t.timestamp('remote_created_at', { useTz: true }).notNullable();
    t.primary(['store_id', 'token']);
  });

  await db.schema.createTable('store_metrics_hourly', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    /** The UTC instant the store's local hour starts (a DST fall-back hour is its own row). */
    t.timestamp('hour_start', { useTz: true }).notNullable();
    t.date('local_date').notNullable();
    t.smallint('local_hour').notNullable();
    t.bigInteger('revenue_minor').notNullable().defaultTo(0);
    t.integer('orders').notNullable().defaultTo(0);
    t.integer('units').notNullable().defaultTo(0);
    t.primary(['store_id', 'hour_start']);
  });
  await db.schema.createTable('store_metrics_daily', (t) => {
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.date('local_date').notNullable();
    t.bigInteger('revenue_minor').notNullable().defaultTo(0);
    t.integer('orders').notNullable().defaultTo(0);
    t.integer('units').notNullable().defaultTo(0);
    t.primary(['store_id', 'local_date']);
  });

  await db.schema.createTable('store_alerts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['high_value_order', 'low_stock', 'revenue_drop', 'webhooks_quiet'], 'store_alerts_kind_check');
    /** What the alert is about (an order, an item at a location, an hour): one alert per open condition. */
    t.text('condition_key').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('fired_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    /** A low-stock condition clears when stock recovers, so the next shortage alerts again. */
    t.timestamp('cleared_at', { useTz: true });
    /** Emails go after commit; until then the alert is in this outbox. */
    t.timestamp('emailed_at', { useTz: true });
    t.index(['store_id', 'fired_at']);
  });
  await db.raw('create unique index store_alerts_open_condition on store_alerts (store_id, kind, condition_key) where cleared_at is null');

  await db.schema.createTable('store_backfills', (t) => {
    t.bigIncrements('id');
    t.bigInteger('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('status').notNullable().checkIn(['running', 'completed', 'failed'], 'store_backfills_status_check');
    t.integer('days').notNullable();
    t.integer('pages').notNullable().defaultTo(0);
    t.integer('orders').notNullable().defaultTo(0);
    t.integer('total_pages');
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['store_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'store_backfills',
    'store_alerts',
    'store_metrics_daily',
    'store_metrics_hourly',
    'store_carts',
    'store_stock_thresholds',
    'store_inventory_levels',
    'store_order_lines',
    'store_orders',
    'store_webhook_events',
    'stores',
    'store_billing_events',
    'store_subscriptions',
  ]) {
    await db.schema.dropTable(table);
  }
}
