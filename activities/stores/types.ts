import type { Db } from '../../db/connection.ts';
import type { Keyring } from '../../domain/jobs/secret-box.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import type { OutboundClient } from '../../runtime/outbound-http.ts';

export interface StoreActivityDeps {
  db: Db;
  mailer: Mailer;
  /** Absolute URL of the web app, for links in alert emails. */
  publicUrl: string;
  /** Opens the sealed store credentials. */
  keyring: () => Promise<Keyring>;
  /** The guarded client the store's API is called through. */
  http: OutboundClient;
}

export interface ApplyEventsInput {
  storeId: number;
  /** Ids of `store_webhook_events` rows, in any order; applied in id order. */
  eventIds: number[];
}

export interface ApplyEventsResult {
  applied: number;
  stale: number;
  ignored: number;
  failed: number;
  /** The store is gone (deleted, shop/redact) or the app uninstalled: the actor stops. */
  storeDeleted: boolean;
}

export interface IngestWindowInput {
  storeId: number;
  /** ISO instant at which the window ends at the latest (the actor's reconcile is due). */
  until: string;
  /** The window ends once it applied this many events (the actor continues as new). */
  limit: number;
  /** The window ends after this long with nothing received. */
  idleMs: number;
}

export interface IngestWindowResult {
  /** Events the window claimed (applied, stale, ignored or failed). */
  applied: number;
  storeDeleted: boolean;
  /** It ended because the store sent nothing for its idle time (absent from workers before: taken as quiet). */
  quiet?: boolean;
}

export interface BackfillStart {
  backfillId: number;
  /** ISO instant: orders created since then are loaded. */
  since: string;
}

export interface BackfillPageInput {
  storeId: number;
  backfillId: number;
  since: string;
  cursor: string | null;
  /** The number this page will have once loaded (1 for the first), so a retried page is counted once. */
  page: number;
}

export interface BackfillPageResult {
  next: string | null;
  waitMs: number;
  throttled: boolean;
  orders: number;
  storeDeleted: boolean;
}

export interface ReconcileResult {
  /** Order versions found through the API that webhooks had not brought. */
  missed: number;
  /** Received events whose signal was lost: the actor queues them. */
  strandedEventIds: number[];
  storeDeleted: boolean;
}

/** What the store actor calls; the workflow imports only this type. */
export interface StoreActivities {
  applyStoreEvents(input: ApplyEventsInput): Promise<ApplyEventsResult>;
  /** Applies the store's events as they arrive, in this worker process, until the actor must decide (see ingest-windows.ts). */
  holdIngestWindow(input: IngestWindowInput): Promise<IngestWindowResult>;
  startStoreBackfill(input: { storeId: number; days: number }): Promise<BackfillStart | null>;
  loadBackfillPage(input: BackfillPageInput): Promise<BackfillPageResult>;
  finishStoreBackfill(input: { storeId: number; backfillId: number; error: string | null }): Promise<void>;
  reconcileStore(input: { storeId: number }): Promise<ReconcileResult>;
  registerStoreWebhooks(input: { storeId: number }): Promise<{ created: number; storeDeleted: boolean }>;
}

/** What the alert digest actor calls. */
export interface AlertDigestActivities {
  /** Mails the digest of everyone whose digest hour begins at `at` (an ISO instant on a quarter hour). */
  sendAlertDigests(input: { at: string }): Promise<{ sent: number }>;
}
