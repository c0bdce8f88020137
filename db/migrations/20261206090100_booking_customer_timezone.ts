import type { Knex } from 'knex';

/**
 * The zone the customer booked in (their slot grid's), so the messages they get name the times as
 * they saw them. Null for older bookings and API clients that send none: they read the provider's.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('bookings', (t) => t.text('customer_timezone'));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('bookings', (t) => t.dropColumn('customer_timezone'));
}
