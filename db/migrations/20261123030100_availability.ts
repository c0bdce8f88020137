import type { Knex } from 'knex';

/** When a provider works: weekly hours in their own timezone, date overrides, and blocked time. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('availability_templates', (t) => {
    t.bigIncrements('id');
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id').onDelete('CASCADE');
    t.smallint('weekday').notNullable(); // ISO: 1 = Monday … 7 = Sunday
    t.specificType('starts_local', 'time').notNullable();
    t.specificType('ends_local', 'time').notNullable();
    t.index(['provider_id']);
  });
  await db.raw('alter table availability_templates add constraint availability_templates_check check (weekday between 1 and 7 and starts_local < ends_local)');
  await db.schema.createTable('availability_overrides', (t) => {
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id').onDelete('CASCADE');
    t.date('local_date').notNullable();
    // [] closes the day; otherwise the day's hours replace the weekly template's.
    t.jsonb('intervals').notNullable();
    t.primary(['provider_id', 'local_date']);
  });
  await db.schema.createTable('availability_blocks', (t) => {
    t.bigIncrements('id');
    t.bigInteger('provider_id').notNullable().references('provider_profiles.user_id').onDelete('CASCADE');
    t.specificType('during', 'tstzrange').notNullable();
    t.text('source').notNullable().checkIn(['provider', 'external'], 'availability_blocks_source_check');
    t.text('calendar'); // google, outlook … for external blocks
    t.text('external_event_id');
    t.text('reason').notNullable().defaultTo('');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['provider_id', 'calendar', 'external_event_id']);
  });
  await db.raw('create index availability_blocks_during_idx on availability_blocks using gist (provider_id, during)');
  // One row per processed calendar webhook delivery: a retried delivery is answered and ignored.
  await db.schema.createTable('calendar_webhook_deliveries', (t) => {
    t.text('calendar').notNullable();
    t.text('delivery_id').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['calendar', 'delivery_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('calendar_webhook_deliveries');
  await db.schema.dropTable('availability_blocks');
  await db.schema.dropTable('availability_overrides');
  await db.schema.dropTable('availability_templates');
}
