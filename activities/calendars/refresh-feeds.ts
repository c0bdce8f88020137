import type { Db } from '../../db/connection.ts';
import { applyFeedSync, feedsToSync, recordFeedError } from '../../db/repositories/calendar-feeds.ts';
import { busyIntervals } from '../../domain/calendar/ics-busy-time.ts';
import { FEED_HORIZON_DAYS, FEED_LOOKBACK_DAYS } from '../../domain/calendar/feed-input.ts';
import { open, type Keyring } from '../../domain/jobs/secret-box.ts';
import type { OutboundClient } from '../../runtime/outbound-http.ts';

const DAY_MS = 86_400_000;
const FETCH_TIMEOUT_MS = 15_000;
/** Real calendars (a Google or Outlook feed of a few years) run to megabytes. */
const FEED_SIZE_LIMIT = 8 * 1024 * 1024;

export interface RefreshFeedsResult {
  /** Feeds the provider has now; 0 ends the actor. */
  feeds: number;
  failed: { feedId: number; error: string }[];
}

export interface CalendarActivities {
  refreshCalendarFeeds(input: { providerId: number }): Promise<RefreshFeedsResult>;
}

export interface CalendarActivityDeps {
  db: Db;
  /** The guarded outbound client: a feed URL is the provider's to give, so it may point anywhere. */
  http: OutboundClient;
  keyring: () => Promise<Keyring>;
}

/**
 * Reads every feed of a provider through the guarded client and turns its busy events into
 * blocks. A feed that cannot be read keeps the blocks it made last time (a calendar server's bad
 * minute must not open the provider's busy time to bookings) and its error is shown to them;
 * the actor decides when to try again. Idempotent: the same feed gives the same blocks.
 */
export function createCalendarActivities(deps: CalendarActivityDeps): CalendarActivities {
  return {
    async refreshCalendarFeeds({ providerId }) {
      const { timezone, feeds } = await feedsToSync(deps.db, providerId);
      if (!timezone) return { feeds: 0, failed: [] };
      const keyring = await deps.keyring();
      const failed: RefreshFeedsResult['failed'] = [];
      for (const feed of feeds) {
        const now = Date.now();
        const window = { from: new Date(now - FEED_LOOKBACK_DAYS * DAY_MS), to: new Date(now + FEED_HORIZON_DAYS * DAY_MS) };
        try {
          const text = await fetchFeed(deps.http, open(keyring, feed.urlSealed));
          await applyFeedSync(deps.db, providerId, feed.id, busyIntervals(text, { ...window, floatingZone: timezone }), window);
        } catch (error) {
          const message = (error as Error).message;
          failed.push({ feedId: feed.id, error: message });
          await recordFeedError(deps.db, feed.id, message);
        }
      }
      return { feeds: feeds.length, failed };
    },
  };
}

async function fetchFeed(http: OutboundClient, url: string): Promise<string> {
  const result = await http.send({ url, method: 'GET', headers: { accept: 'text/calendar' }, body: null, timeoutMs: FETCH_TIMEOUT_MS, maxBodyBytes: FEED_SIZE_LIMIT });
  if (result.kind === 'timeout') throw new Error(`the calendar did not answer within ${FETCH_TIMEOUT_MS / 1000} s`);
  if (result.kind === 'refused') throw new Error(`this address may not be fetched: ${result.reason}`);
  if (result.kind === 'network_error') throw new Error(`the calendar could not be reached: ${result.message}`);
  if (result.statusCode < 200 || result.statusCode > 299) throw new Error(`the calendar answered HTTP ${result.statusCode}`);
  // The client reads at most this much; a cut-off feed would silently lose events.
  if (Buffer.byteLength(result.body) >= FEED_SIZE_LIMIT) throw new Error(`the feed is larger than ${FEED_SIZE_LIMIT / 1024 / 1024} MB`);
  return result.body;
}
