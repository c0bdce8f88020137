/**
 * Effects of one run on another, performed after the first run's change is committed: start
 * a child, signal or cancel an external workflow, tell a parent its child closed, apply a parent
 * close policy. Each is retried until done, also across restarts (they live in the run's state).
 */
import { RpcError } from '../grpc/errors.ts';
import { closeChild, deliverCloseToParent, startChild } from './children.ts';
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import { deliverNexusCompletion } from './nexus.ts';
import type { Transfer } from './state.ts';
import { addExternalEvents } from './workflow-tasks.ts';
import { requestCancel, signal } from './workflow-lifecycle.ts';

export async function performTransfer(engine: Engine, exec: Execution, t: Transfer): Promise<void> {
  switch (t.kind) {
    case 'startChild':
      return startChild(engine, exec, t.initiatedEventId);
    case 'notifyParent':
      return deliverCloseToParent(engine, exec, t);
    case 'closeChild':
      return closeChild(engine, t);
    case 'nexusCompletion':
      return deliverNexusCompletion(engine, t);
    case 'signalExternal':
    case 'cancelExternal':
      return actOnExternal(engine, exec, t);
  }
}

/** Signals or cancels another workflow, then records the outcome in this run's history. */
async function actOnExternal(engine: Engine, exec: Execution, t: Extract<Transfer, { kind: 'signalExternal' | 'cancelExternal' }>): Promise<void> {
  const s = exec.state;
  const self = { workflowId: s.workflowId, runId: s.runId };
  let targetRunId: string | undefined;
  try {
    const target = await engine.find(t.namespace, t.workflowId, t.runId);
    if (t.childOnly && target.state.parent?.runId !== s.runId) throw new RpcError(5, 'not a child');
    if (t.kind === 'signalExternal') {
      await signal(engine, target, { signalName: t.signalName, input: t.input, header: t.header, identity: 'workflow', externalWorkflowExecution: self, requestId: `${s.runId}:${t.initiatedEventId}` });
    } else {
      await requestCancel(engine, target, { reason: t.reason, identity: 'workflow', externalInitiatedEventId: t.initiatedEventId, externalWorkflowExecution: self });
    }
    targetRunId = target.runId;
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
  }
  const execution = { workflowId: t.workflowId, runId: targetRunId ?? t.runId };
  const signalled = t.kind === 'signalExternal';
  await engine.mutate(exec, (m) => {
    if (!exec.isOpen) return;
    const event = targetRunId
      ? { eventType: signalled ? 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED' : 'EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED', attrs: { initiatedEventId: t.initiatedEventId, namespace: t.namespace, workflowExecution: execution } }
      : {
          eventType: signalled ? 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED' : 'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED',
          attrs: {
            initiatedEventId: t.initiatedEventId,
            namespace: t.namespace,
            workflowExecution: execution,
            cause: signalled
              ? 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND'
              : 'CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
          },
        };
    addExternalEvents(m, [event]);
  });
}
