import type { WorkflowClientInterceptor } from '@temporalio/client';
import { countWorkflowStart } from './metrics.ts';
import { requestContext } from './request-id.ts';

/**
 * On the API's Temporal client: counts each workflow start by type, and writes the id of the HTTP
 * request that started it into the workflow's memo (`requestId`), so a run seen in the inspector or
 * the Temporal UI leads back to the request's log lines.
 */
export const workflowStartInterceptor: WorkflowClientInterceptor = {
  async startWithDetails(input, next) {
    const output = await next({ ...input, options: withRequestMemo(input.options) });
    countWorkflowStart(input.workflowType);
    return output;
  },
  async signalWithStart(input, next) {
    const runId = await next({ ...input, options: withRequestMemo(input.options) });
    countWorkflowStart(input.workflowType);
    return runId;
  },
};

function withRequestMemo<T extends { memo?: Record<string, unknown> }>(options: T): T {
  const requestId = requestContext()?.requestId;
  return requestId ? { ...options, memo: { ...options.memo, requestId } } : options;
}

