import type { Knex } from 'knex';

export interface PruneOptions {
  /** Events kept per topic, newest first. */
  keepPerTopic: number;
  /** Events older than this are dropped whatever their topic. */
  maxAgeSeconds: number;
}

export const DEFAULT_RETENTION: PruneOptions = { keepPerTopic: 1000, maxAgeSeconds: 24 * 3600 };

/** Any number will do as long as it is the same in every process; it names the pruning job. */
const PRUNE_LOCK = 0x5e1a7;

/**
 * Drops realtime events beyond the backlog a reconnecting client may ask for. Runs on a
 * timer, never on publish; the advisory lock lets one of several API processes do it while
 * the others skip. Returns how many rows went, or null when another process holds the lock.
 */
export async function pruneEvents(db: Knex, options: PruneOptions = DEFAULT_RETENTION): Promise<number | null> {
  return db.transaction(async (trx) => {
    const lock = await trx.raw<{ rows: Array<{ locked: boolean }> }>('select pg_try_advisory_xact_lock(?) as locked', [PRUNE_LOCK]);
    if (!lock.rows[0].locked) return null;
    const deleted = await trx.raw(
      `delete from realtime_events e
       using realtime_topics t
       where e.topic = t.topic
         and (e.seq <= t.seq - ? or e.created_at < now() - make_interval(secs => ?))`,
      [options.keepPerTopic, options.maxAgeSeconds],
    );
    return deleted.rowCount ?? 0;
  });
}
