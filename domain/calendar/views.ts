/** A provider's subscribed ICS feed, as the API shows it: never its address, which is a secret. */
export interface CalendarFeedView {
  id: number;
  label: string;
  /** The feed's host only: its path often is the secret. */
  host: string;
  lastSyncedAt: string | null;
  lastError: string | null;
  busyEvents: number;
}
