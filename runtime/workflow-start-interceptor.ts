import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TemporalGateway } from '../api/temporal.ts';
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

/**
 * The same gateway with a client that goes through the interceptor (on the same connection), made
 * when first used: a gateway that never starts workflows (a health probe's stub) needs none.
 */
export function instrumentedTemporal(gateway: TemporalGateway): TemporalGateway {
  let client: Client | undefined;
  return {
    ...gateway,
    get client() {
      client ??= new Client({ connection: gateway.client.connection, namespace: gateway.namespace, interceptors: { workflow: [workflowStartInterceptor] } });
      return client;
    },
  };
}
