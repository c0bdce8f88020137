/**
 * Child workflows: the parent's initiated event, the child's start (as a transfer, after the
 * parent's write), the parent hearing of the child's start and close, and the parent close
 * policy applied to children still running when the parent closes.
 */
import { status } from '@grpc/grpc-js';
import { RpcError } from '../grpc/errors.ts';
import type { Msg } from '../proto.ts';
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import type { Mutation } from './mutation.ts';
import { withTypes } from './search-attributes.ts';
import type { Transfer } from './state.ts';
import { addExternalEvents } from './workflow-tasks.ts';
import { requestCancel, startWorkflow, terminateRun } from './workflow-lifecycle.ts';

/** `userMetadata`: the command's summary and details, for the initiated event and the child's own. */
export function initiateChild(m: Mutation, a: Msg, completedId: number, userMetadata?: Msg): void {
  const s = m.state;
  const namespace = a.namespace || s.namespace;
  const policy = a.parentClosePolicy && a.parentClosePolicy !== 'PARENT_CLOSE_POLICY_UNSPECIFIED' ? a.parentClosePolicy : 'PARENT_CLOSE_POLICY_TERMINATE';
  const searchAttributes = withTypes(a.searchAttributes, m.engine.searchAttributes.types(namespace));
  const command = { ...a, namespace, taskQueue: a.taskQueue?.name ? a.taskQueue : { name: s.taskQueue }, parentClosePolicy: policy, searchAttributes, userMetadata };
  const id = m.append('START_CHILD_WORKFLOW_EXECUTION_INITIATED', {
    namespace,
    workflowId: a.workflowId,
    workflowType: a.workflowType,
    taskQueue: command.taskQueue,
    input: a.input,
    workflowExecutionTimeout: a.workflowExecutionTimeout,
    workflowRunTimeout: a.workflowRunTimeout,
    workflowTaskTimeout: a.workflowTaskTimeout,
    parentClosePolicy: policy,
    control: a.control,
    workflowTaskCompletedEventId: completedId,
    workflowIdReusePolicy: a.workflowIdReusePolicy,
    retryPolicy: a.retryPolicy,
    cronSchedule: a.cronSchedule,
    header: a.header,
    memo: a.memo,
    searchAttributes,
    priority: a.priority,
  }, m.now, userMetadata);
  s.children[id] = { initiatedEventId: id, namespace, workflowId: a.workflowId, workflowType: a.workflowType?.name, parentClosePolicy: policy, command };
  m.transfer({ kind: 'startChild', initiatedEventId: id });
}

export async function startChild(engine: Engine, parent: Execution, initiatedEventId: number): Promise<void> {
  const p = parent.state;
  const child = p.children[initiatedEventId];
  if (!child?.command || !parent.isOpen) return;
  const c = child.command;
  const identity = { namespace: c.namespace, workflowId: c.workflowId, workflowType: c.workflowType, initiatedEventId };
  try {
    const { exec } = await startWorkflow(
      engine,
      { ...c, requestId: `${p.runId}:${initiatedEventId}`, identity: 'parent' },
      { parent: { namespace: p.namespace, workflowId: p.workflowId, runId: p.runId, initiatedEventId }, root: p.root ?? { workflowId: p.workflowId, runId: p.runId } },
    );
    await engine.mutate(parent, (m) => {
      const current = m.state.children[initiatedEventId];
      if (!current || !parent.isOpen || current.runId) return;
      current.runId = exec.runId;
      current.command = undefined;
      addExternalEvents(m, [
        {
          eventType: 'CHILD_WORKFLOW_EXECUTION_STARTED',
          attrs: { namespace: c.namespace, initiatedEventId, workflowExecution: { workflowId: c.workflowId, runId: exec.runId }, workflowType: c.workflowType, header: c.header },
        },
      ]);
    });
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    await engine.mutate(parent, (m) => {
      if (!m.state.children[initiatedEventId] || !parent.isOpen) return;
      delete m.state.children[initiatedEventId];
      addExternalEvents(m, [
        {
          eventType: 'START_CHILD_WORKFLOW_EXECUTION_FAILED',
          attrs: {
            ...identity,
            cause:
              err.code === status.ALREADY_EXISTS
                ? 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS'
                : err.code === status.NOT_FOUND
                  ? 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND'
                  : 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_UNSPECIFIED',
            control: c.control,
          },
        },
      ]);
    });
  }
}

/** Queues the close notice for the parent, if any. `notice` is the parent's event, without ids. */
export function notifyParentOfClose(m: Mutation, notice: Msg): void {
  const s = m.state;
  if (!s.parent) return;
  m.transfer({
    kind: 'notifyParent',
    closeEvent: {
      eventType: notice.eventType,
      attrs: { ...notice.attrs, namespace: s.namespace, workflowExecution: { workflowId: s.workflowId, runId: s.runId }, workflowType: { name: s.workflowType } },
    },
  });
}

export async function deliverCloseToParent(engine: Engine, child: Execution, t: Extract<Transfer, { kind: 'notifyParent' }>): Promise<void> {
  const ref = child.state.parent!;
  const parent = await engine.find(ref.namespace, ref.workflowId, ref.runId).catch(() => undefined);
  if (!parent) return;
  await engine.mutate(parent, (m) => {
    const entry = m.state.children[ref.initiatedEventId];
    if (!entry || !parent.isOpen) return;
    delete m.state.children[ref.initiatedEventId];
    addExternalEvents(m, [
      { eventType: t.closeEvent.eventType, attrs: { ...t.closeEvent.attrs, initiatedEventId: ref.initiatedEventId, startedEventId: entry.startedEventId ?? 0 } },
    ]);
  });
}

/** Applies the parent close policy to the children still running. */
export function closeChildren(m: Mutation): void {
  for (const child of Object.values(m.state.children)) {
    if (child.parentClosePolicy === 'PARENT_CLOSE_POLICY_ABANDON' || !child.runId) continue;
    m.transfer({ kind: 'closeChild', namespace: child.namespace, workflowId: child.workflowId, runId: child.runId, policy: child.parentClosePolicy });
  }
  m.state.children = {};
}

export async function closeChild(engine: Engine, t: Extract<Transfer, { kind: 'closeChild' }>): Promise<void> {
  const child = await engine.find(t.namespace, t.workflowId, t.runId).catch(() => undefined);
  if (!child?.isOpen) return;
  const request = { reason: 'by parent close policy', identity: 'parent-close-policy' };
  const action = t.policy === 'PARENT_CLOSE_POLICY_REQUEST_CANCEL' ? requestCancel(engine, child, request) : terminateRun(engine, child, request);
  await action.catch((err) => {
    if (!(err instanceof RpcError)) throw err;
  });
}
