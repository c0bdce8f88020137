import { defineQuery, defineSignal } from '@temporalio/workflow';

export const storeWorkflowId = (storeId: number | string) => `store-${storeId}`;

/** Where an interrupted backfill stands, carried across continue-as-new. */
export interface BackfillCursor {
  backfillId: number;
  since: string;
  cursor: string | null;
  /** Pages loaded so far. */
  pages: number;
}

export interface StoreIngestionInput {
  storeId: number;
  /** Days of history to load when the actor first starts (on connect); 0 or absent for none. */
  initialBackfillDays?: number;
  /** A Shopify app was just installed: register its webhooks before anything else. */
  registerWebhooks?: boolean;
  reconcileEveryMinutes?: number;
  /** Events applied before the actor continues as new, to keep its history short. */
  continueAsNewAfter?: number;
  /**
   * How long an ingest window stays out with nothing arriving (5 s unless given); 0 for none:
   * each signalled batch is then applied by an activity of its own.
   */
  ingestWindowIdleMs?: number;
  // Carried across continue-as-new:
  pendingEventIds?: number[];
  backfill?: BackfillCursor | null;
  requestedBackfillDays?: number | null;
  nextReconcileAt?: string;
}

export interface StoreActorStatus {
  storeId: number;
  pendingEvents: number;
  appliedThisRun: number;
  backfill: BackfillCursor | null;
  nextReconcileAt: string;
}

// Signals, not updates: a webhook must be acknowledged at once and its event is already durable
// in PostgreSQL before the signal is sent, so the sender needs no answer from the actor; a lost
// signal is caught by the reconcile timer, which picks up events left waiting.
export const webhookEventsSignal = defineSignal<[{ eventIds: number[] }]>('webhookEvents');
export const backfillSignal = defineSignal<[{ days: number }]>('backfill');
export const disconnectSignal = defineSignal<[]>('disconnect');

export const storeStatusQuery = defineQuery<StoreActorStatus>('status');
