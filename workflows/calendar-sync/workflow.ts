import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CalendarActivities } from '../../activities/calendars/refresh-feeds.ts';
import { retryDelay } from '../../domain/cron/retry-delay.ts';
import { calendarSyncStatusQuery, feedsChangedSignal, refreshNowSignal, type CalendarSyncInput, type CalendarSyncStatus } from './definitions.ts';

// A feed's failure is an answer, not an exception: the actor backs off itself, so a broken feed
// waits longer and longer while the status says why. Retries here only cover the worker's own trouble.
const { refreshCalendarFeeds } = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});

const MINUTE_MS = 60_000;
const BACKOFF = { initialMs: MINUTE_MS, backoffCoefficient: 2, maxMs: 6 * 60 * MINUTE_MS };

/**
 * One provider's external calendars (`calendar-<providerId>`): refreshes every feed on a timer,
 * at once when the feeds change or the provider asks, and after a failure again with backoff.
 * Ends when the provider has no feeds left.
 */
export async function calendarSyncWorkflow(input: CalendarSyncInput): Promise<CalendarSyncStatus> {
  const every = (input.refreshEveryMinutes ?? 15) * MINUTE_MS;
  const status: CalendarSyncStatus = { providerId: input.providerId, refreshes: 0, consecutiveFailures: input.consecutiveFailures ?? 0, lastErrors: [], lastRefreshAt: null, nextRefreshAt: null };
  let requested = true;

  setHandler(feedsChangedSignal, () => void (requested = true));
  setHandler(refreshNowSignal, () => void (requested = true));
  setHandler(calendarSyncStatusQuery, () => status);

  for (;;) {
    requested = false;
    const result = await refreshCalendarFeeds({ providerId: input.providerId });
    status.refreshes += 1;
    status.lastRefreshAt = new Date().toISOString();
    status.lastErrors = result.failed;
    if (result.feeds === 0 && !requested) return { ...status, nextRefreshAt: null };
    status.consecutiveFailures = result.failed.length ? status.consecutiveFailures + 1 : 0;
    const wait = status.consecutiveFailures ? retryDelay({ ...BACKOFF, attempt: status.consecutiveFailures, now: new Date() }) : every;
    status.nextRefreshAt = new Date(Date.now() + wait).toISOString();
    await condition(() => requested, wait);

    // The next run starts with the refresh that is due now.
    if (status.refreshes >= (input.continueAsNewAfter ?? 500)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof calendarSyncWorkflow>({ ...input, consecutiveFailures: status.consecutiveFailures });
    }
  }
}
