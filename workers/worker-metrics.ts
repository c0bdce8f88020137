import { fileURLToPath } from 'node:url';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { countActivityRetry, countWorkflowCompletion, countWorkflowFailure } from '../runtime/metrics.ts';
import type { WorkflowOutcomeSinks } from './workflow-outcomes.ts';

/** The workflow interceptor module the bundle includes. */
export const WORKFLOW_OUTCOMES_MODULE = fileURLToPath(new URL('./workflow-outcomes.ts', import.meta.url));

/** The worker side of workflow-outcomes.ts: run endings become counters by workflow type. */
export const workflowOutcomeSinks: InjectedSinks<WorkflowOutcomeSinks> = {
  outcomes: {
    completed: { fn: (info) => countWorkflowCompletion(info.workflowType) },
    failed: { fn: (info, cause) => countWorkflowFailure(info.workflowType, cause) },
  },
};

/** Counts every activity attempt after the first: retries show a flaky store API or receiver. */
export const activityRetryCounter: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    execute(input, next) {
      if (ctx.info.attempt > 1) countActivityRetry(ctx.info.activityType);
      return next(input);
    },
  },
});
