import type { Knex } from 'knex';

/** Providers' profiles and the services they offer, searchable by text. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('provider_profiles', (t) => {
    t.bigInteger('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('timezone').notNullable();
    t.text('bio').notNullable().defaultTo('');
    t.integer('response_sla_minutes').notNullable().defaultTo(24 * 60);
    t.integer('rating_count').notNullable().defaultTo(0);
    t.integer('rating_sum').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('services', (t) => {
    t.bigIncrements('id');
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id').onDelete('CASCADE');
    t.bigInteger('category_id').references('service_categories.id').onDelete('SET NULL');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('duration_minutes').notNullable();
    t.integer('buffer_before_minutes').notNullable().defaultTo(0);
    t.integer('buffer_after_minutes').notNullable().defaultTo(0);
    t.text('price_kind').notNullable().checkIn(['fixed', 'hourly'], 'services_price_kind_check');
    t.bigInteger('price_minor').notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.integer('min_notice_minutes').notNullable().defaultTo(60);
    t.integer('max_days_ahead').notNullable().defaultTo(60);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['provider_id']);
    t.index(['category_id']);
  });
  await db.raw(`alter table services add constraint services_duration_check check (duration_minutes between 5 and 1440),
    add constraint services_price_check check (price_minor >= 0),
    add column search tsvector generated always as (to_tsvector('simple', title || ' ' || description)) stored`);
  await db.raw('create index services_search_idx on services using gin (search)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('services');
  await db.schema.dropTable('provider_profiles');
}
