import type { AppContext } from '../../context.ts';
import type { TemporalGateway } from '../../temporal.ts';
import type { storeIngestionWorkflow } from '../../../workflows/store-ingestion/workflow.ts';
import { storeWorkflowId, webhookEventsSignal } from '../../../workflows/store-ingestion/definitions.ts';

/** How long a store's first waiting id waits for company before its signal goes. */
const WINDOW_MS = 20;
/**
 * The least time from one signal to a store to the next. Every signal costs the actor a workflow
 * task (and the server history events) even while it is busy applying, so under a burst a store
 * gets a few signals a second, each carrying many ids, instead of one per round trip.
 */
const SPACING_MS = 200;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hands received event ids to the store's actor with signal-with-start, never on the answer's
 * path. Ids gather for WINDOW_MS; while a signal to a store is in flight, and until SPACING_MS
 * after it went, later ids wait and go together in the next one. A quiet store pays WINDOW_MS.
 * While the workflow service is known to be down no signal is tried (each would wait out the SDK's
 * retries). A signal that fails is not retried here: the event is already stored, and the sweep
 * when the service answers again (see actor-recovery.ts) or the actor's reconcile timer hands
 * over events left waiting.
 */
export function storeSignaller(ctx: AppContext, { spacingMs = SPACING_MS } = {}) {
  const waiting = new Map<number, number[]>();
  const inFlight = new Set<number>();

  async function flush(storeId: number): Promise<void> {
    const temporal = ctx.temporal;
    try {
      for (let ids = take(storeId); ids.length; ids = take(storeId)) {
        if (!temporal?.reachable()) continue;
        const sentAt = Date.now();
        try {
          await signalStoreEvents(temporal, storeId, ids);
        } catch (error) {
          // A failure for want of the service makes the next answer from it a recovery, and so a sweep.
          temporal.noteFailure(error);
          ctx.log.warn({ err: error, storeId, events: ids.length }, 'signal to the store actor failed; the events wait for the next sweep or reconcile');
        }
        await pause(sentAt + spacingMs - Date.now());
      }
    } finally {
      inFlight.delete(storeId);
    }
  }

  function take(storeId: number): number[] {
    const ids = waiting.get(storeId) ?? [];
    waiting.delete(storeId);
    return ids;
  }

  return {
    signal(storeId: number, eventId: number): void {
      const ids = waiting.get(storeId);
      if (ids) ids.push(eventId);
      else waiting.set(storeId, [eventId]);
      if (inFlight.has(storeId)) return;
      inFlight.add(storeId);
      setTimeout(() => void flush(storeId), WINDOW_MS);
    },
  };
}

/** Hands event ids to the store's actor, starting it if it has none; ids it holds or applied already change nothing. */
export async function signalStoreEvents(temporal: TemporalGateway, storeId: number, eventIds: number[]): Promise<void> {
  await temporal.client.workflow.signalWithStart<typeof storeIngestionWorkflow, [{ eventIds: number[] }]>('storeIngestionWorkflow', {
    workflowId: storeWorkflowId(storeId),
    taskQueue: temporal.taskQueue,
    args: [{ storeId }],
    signal: webhookEventsSignal,
    signalArgs: [{ eventIds }],
  });
}
