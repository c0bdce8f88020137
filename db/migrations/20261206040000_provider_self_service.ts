import type { Knex } from 'knex';

/**
 * What a provider sets up in the app: the order of their services and whether a booking needs
 * their answer, and the iCalendar feeds whose busy time blocks their slots.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('services', (t) => {
    // Lower first on the provider's page and in their profile; ties by id (creation order).
    t.integer('position').notNullable().defaultTo(0);
    // True: a confirmed booking is accepted at once; false: it waits for the provider's answer.
    t.boolean('auto_accept').notNullable().defaultTo(false);
  });
  await db.schema.createTable('calendar_feeds', (t) => {
    t.bigIncrements('id');
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id').onDelete('CASCADE');
    // Feed URLs often carry a private token (Google's "secret address"): sealed at rest, shown by host only.
    t.text('url_sealed').notNullable();
    t.text('url_host').notNullable();
    t.text('label').notNullable().defaultTo('');
    t.timestamp('last_synced_at', { useTz: true });
    t.text('last_error');
    t.integer('busy_events').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['provider_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('calendar_feeds');
  await db.schema.alterTable('services', (t) => {
    t.dropColumn('auto_accept');
    t.dropColumn('position');
  });
}
