import type { AppContext } from '../../context.ts';
import type { storeIngestionWorkflow } from '../../../workflows/store-ingestion/workflow.ts';
import { storeWorkflowId, webhookEventsSignal } from '../../../workflows/store-ingestion/definitions.ts';

/**
 * Hands received event ids to the store's actor with signal-with-start. While one signal to a
 * store is in flight, later ids wait and go together in the next one: under a burst the actor
 * gets a few signals carrying many ids instead of one per webhook, and a quiet store pays no delay.
 * A signal that fails is not retried here: the event is already stored, and the actor's reconcile
 * timer picks up events left waiting.
 */
export function storeSignaller(ctx: AppContext) {
  const waiting = new Map<number, number[]>();
  const inFlight = new Set<number>();

  async function flush(storeId: number): Promise<void> {
    const temporal = ctx.temporal;
    inFlight.add(storeId);
    try {
      for (let ids = take(storeId); ids.length; ids = take(storeId)) {
        if (!temporal) continue;
        try {
          await temporal.client.workflow.signalWithStart<typeof storeIngestionWorkflow, [{ eventIds: number[] }]>('storeIngestionWorkflow', {
            workflowId: storeWorkflowId(storeId),
            taskQueue: temporal.taskQueue,
            args: [{ storeId }],
            signal: webhookEventsSignal,
            signalArgs: [{ eventIds: ids }],
          });
        } catch (error) {
          ctx.log.warn({ err: error, storeId, events: ids.length }, 'signal to the store actor failed; reconcile will pick the events up');
        }
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
      if (!inFlight.has(storeId)) void flush(storeId);
    },
  };
}
