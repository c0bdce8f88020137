/**
 * Bundled into the workflow sandbox (bundleWorkflows): reports how each workflow run ends through
 * a sink, since workflow code may not touch metrics itself. The sink is not called while a run
 * is replayed, so a run evicted from the cache and replayed is not counted twice.
 */
import { ContinueAsNew, isCancellation, proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface WorkflowOutcomeSinks extends Sinks {
  outcomes: {
    completed(): void;
    failed(cause: 'error' | 'canceled'): void;
  };
}

const { outcomes } = proxySinks<WorkflowOutcomeSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          const result = await next(input);
          outcomes.completed();
          return result;
        } catch (error) {
          // Continue-as-new is a run handing over to the next one, not an ending.
          if (!(error instanceof ContinueAsNew)) outcomes.failed(isCancellation(error) ? 'canceled' : 'error');
          throw error;
        }
      },
    },
  ],
});
