import type { Db } from '../connection.ts';
import type { BusyInterval } from '../../domain/calendar/ics-busy-time.ts';
import { feedCalendarName } from '../../domain/calendar/feed-input.ts';
import type { CalendarFeedView } from '../../domain/calendar/views.ts';

interface FeedRow {
  id: number;
  label: string;
  url_host: string;
  last_synced_at: Date | null;
  last_error: string | null;
  busy_events: number;
}

const VIEW_COLUMNS = ['id', 'label', 'url_host', 'last_synced_at', 'last_error', 'busy_events'];

const toView = (row: FeedRow): CalendarFeedView => ({
  id: row.id,
  label: row.label,
  host: row.url_host,
  lastSyncedAt: row.last_synced_at?.toISOString() ?? null,
  lastError: row.last_error,
  busyEvents: row.busy_events,
});

export async function listCalendarFeeds(db: Db, providerId: number): Promise<CalendarFeedView[]> {
  const rows: FeedRow[] = await db('calendar_feeds').where({ provider_id: providerId }).orderBy('id').select(VIEW_COLUMNS);
  return rows.map(toView);
}

export async function findCalendarFeed(db: Db, providerId: number, id: number): Promise<CalendarFeedView | undefined> {
  const row: FeedRow | undefined = await db('calendar_feeds').where({ provider_id: providerId, id }).first(VIEW_COLUMNS);
  return row && toView(row);
}

export async function countCalendarFeeds(db: Db, providerId: number): Promise<number> {
  const [{ count }] = await db('calendar_feeds').where({ provider_id: providerId }).count<{ count: string }[]>({ count: '*' });
  return Number(count);
}

export async function insertCalendarFeed(db: Db, providerId: number, feed: { urlSealed: string; urlHost: string; label: string }): Promise<CalendarFeedView> {
  const [row] = await db('calendar_feeds').insert({ provider_id: providerId, url_sealed: feed.urlSealed, url_host: feed.urlHost, label: feed.label }).returning(VIEW_COLUMNS);
  return toView(row);
}

/** The feed and the blocks it made go together: its busy time is free again. */
export async function deleteCalendarFeed(db: Db, providerId: number, id: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const deleted = await trx('calendar_feeds').where({ provider_id: providerId, id }).delete();
    if (deleted) await trx('availability_blocks').where({ provider_id: providerId, calendar: feedCalendarName(id), source: 'external' }).delete();
    return deleted > 0;
  });
}

export interface FeedToSync {
  id: number;
  urlSealed: string;
}

/** A provider's feeds with their sealed URLs, and the zone their floating times and all-day events are read in. */
export async function feedsToSync(db: Db, providerId: number): Promise<{ timezone: string | null; feeds: FeedToSync[] }> {
  const [profile, rows] = await Promise.all([
    db('provider_profiles').where({ user_id: providerId }).first('timezone'),
    db('calendar_feeds').where({ provider_id: providerId }).orderBy('id').select('id', 'url_sealed'),
  ]);
  return { timezone: profile?.timezone ?? null, feeds: rows.map((r: { id: number; url_sealed: string }) => ({ id: r.id, urlSealed: r.url_sealed })) };
}

/**
 * The feed's busy time now, replacing what it said before, in one transaction: each occurrence
 * keeps its block (by id), a moved one moves, one no longer in the feed is deleted so its time
 * is free again. Only blocks inside `window` are replaced: what lies beyond was not read.
 */
export async function applyFeedSync(db: Db, providerId: number, feedId: number, busy: readonly BusyInterval[], window: { from: Date; to: Date }): Promise<void> {
  const calendar = feedCalendarName(feedId);
  await db.transaction(async (trx) => {
    // The feed may have been removed while it was being read: then its blocks must not come back.
    const feed = await trx('calendar_feeds').where({ id: feedId, provider_id: providerId }).forUpdate().first('id');
    if (!feed) return;
    const range = trx.raw("tstzrange(?::timestamptz, ?::timestamptz, '[)')", [window.from, window.to]);
    await trx('availability_blocks')
      .where({ provider_id: providerId, calendar, source: 'external' })
      .whereRaw('during && ?', [range])
      .whereNotIn('external_event_id', busy.map((b) => b.id))
      .delete();
    for (const block of busy) {
      const during = trx.raw("tstzrange(?::timestamptz, ?::timestamptz, '[)')", [block.start, block.end]);
      await trx('availability_blocks')
        .insert({ provider_id: providerId, calendar, external_event_id: block.id, source: 'external', during, reason: block.summary.slice(0, 200) })
        .onConflict(['provider_id', 'calendar', 'external_event_id'])
        .merge({ during, reason: block.summary.slice(0, 200), updated_at: trx.fn.now() });
    }
    await trx('calendar_feeds').where({ id: feedId }).update({ last_synced_at: trx.fn.now(), last_error: null, busy_events: busy.length });
  });
}

export async function recordFeedError(db: Db, feedId: number, message: string): Promise<void> {
  await db('calendar_feeds').where({ id: feedId }).update({ last_error: message.slice(0, 500) });
}
