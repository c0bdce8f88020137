import type { Knex } from 'knex';

/**
 * Bookings, their audit trail, ratings and people's notifications. The exclusion constraint is the
 * arbiter of double booking: two live bookings of one provider can never overlap, buffers included,
 * whatever runs concurrently.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('create extension if not exists btree_gist');
  await db.schema.createTable('bookings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('service_id').notNullable().references('services.id').onDelete('RESTRICT');
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id').onDelete('RESTRICT');
    t.bigInteger('customer_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.specificType('blocks', 'tstzrange').notNullable(); // starts/ends widened by the service's buffers
    t.text('state').notNullable();
    t.timestamp('hold_expires_at', { useTz: true }).notNullable();
    t.timestamp('respond_by', { useTz: true });
    t.bigInteger('price_minor').notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.text('customer_notes').notNullable().defaultTo('');
    t.text('closing_note');
    t.boolean('late_cancellation').notNullable().defaultTo(false);
    t.integer('last_sequence').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['customer_id', 'starts_at']);
    t.index(['provider_id', 'starts_at']);
  });
  await db.raw(`alter table bookings
    add constraint bookings_state_check check (state in ('held','requested','accepted','in_progress','completed','declined','canceled','expired')),
    add constraint bookings_times_check check (starts_at < ends_at),
    add constraint bookings_no_overlap exclude using gist (provider_id with =, blocks with &&)
      where (state in ('held','requested','accepted','in_progress'))`);
  await db.schema.createTable('booking_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('booking_id').notNullable().references('bookings.id').onDelete('CASCADE');
    t.integer('sequence').notNullable();
    t.text('action').notNullable();
    t.text('from_state');
    t.text('to_state').notNullable();
    t.text('actor_role').notNullable();
    t.bigInteger('actor_id');
    t.text('note');
    t.timestamp('at', { useTz: true }).notNullable();
    t.unique(['booking_id', 'sequence']);
  });
  await db.schema.createTable('booking_ratings', (t) => {
    t.bigInteger('booking_id').primary().references('bookings.id').onDelete('CASCADE');
    t.bigInteger('customer_id').notNullable().references('users.id');
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id');
    t.smallint('score').notNullable();
    t.text('comment').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('alter table booking_ratings add constraint booking_ratings_score_check check (score between 1 and 5)');
  await db.schema.createTable('notifications', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable().defaultTo('');
    t.text('link');
    t.text('idempotency_key').unique();
    t.timestamp('read_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('create index notifications_unread_idx on notifications (user_id, created_at desc) where read_at is null');
  await db.raw('create index notifications_user_idx on notifications (user_id, id desc)');
  // Email links (accept / decline) are single use: a token's id is spent here.
  await db.schema.createTable('spent_link_tokens', (t) => {
    t.text('token_id').primary();
    t.timestamp('spent_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('spent_link_tokens');
  await db.schema.dropTable('notifications');
  await db.schema.dropTable('booking_ratings');
  await db.schema.dropTable('booking_events');
  await db.schema.dropTable('bookings');
}
