import type { Knex } from 'knex';

/**
 * Alerts that don't flood: each person's choice, per organization and alert kind, of how it
 * emails them (at once, in the daily digest, or not), the hour and zone of their digest, and a
 * backfill_failed kind. Open alerts kept under keys no longer used (low stock per item and
 * location, revenue drop per hour) would stay open forever: they are cleared.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table store_alerts drop constraint store_alerts_kind_check');
  await db.raw("alter table store_alerts add constraint store_alerts_kind_check check (kind in ('high_value_order', 'low_stock', 'revenue_drop', 'webhooks_quiet', 'backfill_failed'))");
  await db.raw("update store_alerts set cleared_at = now() where cleared_at is null and ((kind = 'low_stock' and condition_key like '%@%') or (kind = 'revenue_drop' and condition_key <> 'revenue'))");

  await db.schema.createTable('alert_email_choices', (t) => {
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    /** Only choices made are kept; a kind without one takes the default for the person's role. */
    t.text('delivery').notNullable().checkIn(['immediate', 'digest', 'none'], 'alert_email_choices_delivery_check');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['user_id', 'organization_id', 'kind']);
    t.index(['organization_id', 'kind']);
  });

  await db.schema.createTable('alert_digest_settings', (t) => {
    t.bigInteger('user_id').primary().references('users.id').onDelete('CASCADE');
    t.smallint('hour').notNullable();
    t.text('timezone').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('alter table alert_digest_settings add constraint alert_digest_settings_hour_check check (hour between 0 and 23)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('alert_digest_settings');
  await db.schema.dropTable('alert_email_choices');
  await db.raw("delete from store_alerts where kind = 'backfill_failed'");
  await db.raw('alter table store_alerts drop constraint store_alerts_kind_check');
  await db.raw("alter table store_alerts add constraint store_alerts_kind_check check (kind in ('high_value_order', 'low_stock', 'revenue_drop', 'webhooks_quiet'))");
}
