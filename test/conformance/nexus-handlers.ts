/** The handler side of the conformance suite's Nexus service, as a user writes it: a sync operation, workflow- and activity-backed ones, failures. */
import * as nexus from 'nexus-rpc';
import { startWorkflow, TemporalOperationHandler, WorkflowRunOperationHandler } from '@temporalio/nexus';
import { id } from './harness.ts';
import { echoService } from './workflows/nexus.ts';

const attempts = new Map<string, number>();

export const echoHandlers = nexus.serviceHandler(echoService, {
  echoSync: async (_ctx, input) => `sync ${input}`,
  echoAsync: new WorkflowRunOperationHandler<string, string>((ctx, input) => startWorkflow(ctx, 'echoes', { workflowId: id('echoes'), args: [input] })),
  echoActivity: new TemporalOperationHandler<string, string>({
    start: (_ctx, temporal, input) => temporal.startActivity('echo', { id: id('echo'), startToCloseTimeout: '10s', args: [`activity ${input}`] }),
  }),
  failsSync: async (_ctx, input) => {
    throw new nexus.OperationError('failed', `cannot do ${input}`);
  },
  flakySync: async (_ctx, input) => {
    const attempt = (attempts.get(input) ?? 0) + 1;
    attempts.set(input, attempt);
    if (attempt === 1) throw new nexus.HandlerError('UNAVAILABLE', 'try again');
    return `attempt ${attempt}`;
  },
  rejects: async () => {
    throw new nexus.HandlerError('BAD_REQUEST', 'this request is malformed');
  },
  failsAsync: new WorkflowRunOperationHandler<string, string>((ctx, input) => startWorkflow(ctx, 'failsWith', { workflowId: id('fails'), args: [input] })),
  waitsAsync: new WorkflowRunOperationHandler<string, string>((ctx, input) => startWorkflow(ctx, 'waitsForCancel', { workflowId: input, args: [] })),
});

