import type { Knex } from 'knex';

const LIVE = "state in ('held','requested','accepted','in_progress')";
const WATCHED_UPDATES = 'provider_id, state, starts_at, ends_at, blocks, hold_expires_at';

/**
 * A proposed new time for a booking, pending the other side's answer. Its slot is held under the
 * same exclusion constraint as the booking's own: the constraint now covers both ranges of a row,
 * so nobody can take the proposed time meanwhile, and the old time stays the booking's until the
 * answer. The availability version moves with the proposal, so slot caches see it at once.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('bookings', (t) => {
    t.timestamp('proposed_starts_at', { useTz: true });
    t.timestamp('proposed_ends_at', { useTz: true });
    t.specificType('proposed_blocks', 'tstzrange');
    t.text('proposed_by');
    t.timestamp('proposal_respond_by', { useTz: true });
  });
  await db.raw(`alter table bookings
    add constraint bookings_proposal_check check (
      (proposed_blocks is null and proposed_starts_at is null and proposed_ends_at is null and proposed_by is null and proposal_respond_by is null)
      or (proposed_blocks is not null and proposed_starts_at < proposed_ends_at and proposed_by in ('customer','provider') and proposal_respond_by is not null)),
    drop constraint bookings_no_overlap,
    add constraint bookings_no_overlap exclude using gist (provider_id with =,
      (case when proposed_blocks is null then tstzmultirange(blocks) else tstzmultirange(blocks, proposed_blocks) end) with &&)
      where (${LIVE})`);
  await db.raw('drop trigger bookings_availability_version on bookings');
  await db.raw(`create trigger bookings_availability_version after insert or delete or update of ${WATCHED_UPDATES}, proposed_blocks
    on bookings for each row execute function bump_availability_version()`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop trigger bookings_availability_version on bookings');
  await db.raw(`create trigger bookings_availability_version after insert or delete or update of ${WATCHED_UPDATES}
    on bookings for each row execute function bump_availability_version()`);
  await db.raw(`alter table bookings drop constraint bookings_no_overlap, drop constraint bookings_proposal_check,
    add constraint bookings_no_overlap exclude using gist (provider_id with =, blocks with &&) where (${LIVE})`);
  await db.schema.alterTable('bookings', (t) => {
    t.dropColumn('proposed_starts_at');
    t.dropColumn('proposed_ends_at');
    t.dropColumn('proposed_blocks');
    t.dropColumn('proposed_by');
    t.dropColumn('proposal_respond_by');
  });
}
