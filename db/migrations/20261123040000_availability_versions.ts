import type { Knex } from 'knex';

/** Table -> the events that can change a slot; a booking's sequence or notes do not. */
const WATCHED = {
  availability_templates: 'insert or update or delete',
  availability_overrides: 'insert or update or delete',
  availability_blocks: 'insert or update or delete',
  bookings: 'insert or delete or update of provider_id, state, starts_at, ends_at, blocks, hold_expires_at',
} as const;

/**
 * A counter per provider that moves whenever anything a slot depends on changes: weekly hours,
 * overrides, blocks and bookings. Slot caches key on it, so every API process sees a change at
 * once. A trigger bumps it rather than each writer, because bookings are written by the booking
 * actor's activities and calendar blocks by webhooks: no writer can forget.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('availability_versions', (t) => {
    // No foreign key: the trigger also fires while a provider's rows are deleted by cascade.
    t.bigInteger('provider_id').primary();
    t.bigInteger('version').notNullable();
  });
  await db.raw(`create function bump_availability_version() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into availability_versions (provider_id, version) values (old.provider_id, 1)
          on conflict (provider_id) do update set version = availability_versions.version + 1;
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.provider_id <> old.provider_id) then
        insert into availability_versions (provider_id, version) values (new.provider_id, 1)
          on conflict (provider_id) do update set version = availability_versions.version + 1;
      end if;
      return null;
    end $$`);
  for (const [table, events] of Object.entries(WATCHED)) {
    await db.raw(`create trigger ${table}_availability_version after ${events} on ${table} for each row execute function bump_availability_version()`);
  }
}

export async function down(db: Knex): Promise<void> {
  for (const table of Object.keys(WATCHED)) await db.raw(`drop trigger ${table}_availability_version on ${table}`);
  await db.raw('drop function bump_availability_version()');
  await db.schema.dropTable('availability_versions');
}
