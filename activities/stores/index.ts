import { applyStoreEvents } from './apply-events.ts';
import { createIngestWindows } from './ingest-windows.ts';
import { finishStoreBackfill, loadBackfillPage, startStoreBackfill } from './backfill.ts';
import { reconcileStore } from './reconcile.ts';
import { registerStoreWebhooks } from './webhook-registration.ts';
import { sendAlertDigests } from './alert-digest.ts';
import type { AlertDigestActivities, StoreActivities, StoreActivityDeps } from './types.ts';

export function createStoreActivities(deps: StoreActivityDeps): StoreActivities & AlertDigestActivities {
  const windows = createIngestWindows(deps);
  return {
    applyStoreEvents: (input) => applyStoreEvents(deps, input),
    holdIngestWindow: (input) => windows.holdIngestWindow(input),
    startStoreBackfill: (input) => startStoreBackfill(deps, input),
    loadBackfillPage: (input) => loadBackfillPage(deps, input),
    finishStoreBackfill: (input) => finishStoreBackfill(deps, input),
    reconcileStore: (input) => reconcileStore(deps, input),
    registerStoreWebhooks: (input) => registerStoreWebhooks(deps, input),
    sendAlertDigests: (input) => sendAlertDigests(deps, input),
  };
}
