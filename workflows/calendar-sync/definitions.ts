import { defineQuery, defineSignal } from '@temporalio/workflow';

export const calendarWorkflowId = (providerId: number | string) => `calendar-${providerId}`;

export interface CalendarSyncInput {
  providerId: number;
  refreshEveryMinutes?: number;
  /** Refreshes before the actor continues as new, to keep its history short. */
  continueAsNewAfter?: number;
  /** Carried across continue-as-new: failed refreshes in a row, for the backoff. */
  consecutiveFailures?: number;
}

export interface CalendarSyncStatus {
  providerId: number;
  refreshes: number;
  consecutiveFailures: number;
  lastErrors: { feedId: number; error: string }[];
  lastRefreshAt: string | null;
  nextRefreshAt: string | null;
}

// Signals, not updates: the feed rows are already committed when the API sends them, and nobody
// waits for the refresh; the provider's page shows its outcome from the feed's row.
export const feedsChangedSignal = defineSignal<[]>('feedsChanged');
export const refreshNowSignal = defineSignal<[]>('refreshNow');

export const calendarSyncStatusQuery = defineQuery<CalendarSyncStatus>('status');
