/**
 * Nexus operations called by workflows: ScheduleNexusOperation puts a start request on the
 * endpoint's target task queue, where a handler worker takes it (PollNexusTaskQueue) and answers
 * with a result (sync), an operation token (async: a workflow started with this run's completion
 * callback), an operation error, or a handler error (retried with backoff unless non-retryable).
 * An async operation ends when the workflow behind it closes: its completion callback
 * (`temporal://system`, as the real server's internal callbacks) is a transfer of that run, which
 * records the outcome here. A cancel request goes to the handler once the operation is started;
 * before that it cancels the operation at once. Events and failures are the real server's.
 */
import { randomUUID } from 'node:crypto';
import { invalidArgument, notFound } from '../grpc/errors.ts';
import type { CallContext } from '../grpc/service.ts';
import { duration, ms, timestamp, type Msg } from '../proto.ts';
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import { Matching, type Task } from './matching.ts';
import type { Mutation } from './mutation.ts';
import { polledQueueName, pollQueue } from './polling.ts';
import { decideRetry, withRetryDefaults } from './retry.ts';
import type { RunState, Transfer } from './state.ts';
import { addExternalEvents } from './workflow-tasks.ts';

export const SYSTEM_CALLBACK_URL = 'temporal://system';
const CALLBACK_TOKEN_HEADER = 'temporal-callback-token';
const OPERATION_TOKEN_HEADER = 'nexus-operation-token';
/** How long a handler worker has to answer one request before it is retried (the real server's default). */
const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_POLICY = withRetryDefaults(undefined);
const NON_RETRYABLE_HANDLER_ERRORS = new Set(['BAD_REQUEST', 'UNAUTHENTICATED', 'UNAUTHORIZED', 'NOT_FOUND', 'NOT_IMPLEMENTED']);

export interface NexusOperationState {
  scheduledEventId: number;
  endpoint: string;
  endpointId: string;
  service: string;
  operation: string;
  requestId: string;
  input?: Msg;
  header?: Record<string, string>;
  scheduledTime: number;
  scheduleToCloseMs: number;
  /** scheduled: the start waits for a handler; starting: a handler has it; backoff: between attempts; started: async, running. */
  phase: 'scheduled' | 'starting' | 'backoff' | 'started';
  attempt: number;
  retryAt?: number;
  sentTime?: number;
  operationToken?: string;
  lastFailure?: Msg;
  /** A cancel request: waiting for the start's answer, then sent to the handler like the start. */
  cancel?: { requestedEventId: number; requestedTime: number; phase: 'waiting' | 'scheduled' | 'sent' | 'backoff' | 'done' | 'failed'; attempt: number; retryAt?: number; sentTime?: number };
}

type NexusTask = Extract<Task, { kind: 'nexus' }>;
/** What a Nexus task token names: the caller's run, its operation, and which request of it. */
interface NexusTaskRef {
  namespaceId: string;
  workflowId: string;
  runId: string;
  scheduledEventId: number;
  attempt: number;
  cancel: boolean;
}

const operations = (s: RunState) => (s.nexusOperations ??= {});

export function scheduleNexusOperation(m: Mutation, c: Msg, completedId: number, userMetadata?: Msg): void {
  const endpoint = m.engine.nexusEndpoints.byName(c.endpoint ?? '');
  if (!endpoint) throw invalidArgument(`endpoint "${c.endpoint}" not found`);
  if (!endpoint.spec.target?.worker) throw invalidArgument(`endpoint "${c.endpoint}" has an external target, which embedded-temporal does not call`);
  if (!c.service || !c.operation) throw invalidArgument('service and operation are required');
  const requestId = randomUUID();
  const id = m.append('NEXUS_OPERATION_SCHEDULED', {
    endpoint: c.endpoint,
    service: c.service,
    operation: c.operation,
    input: c.input,
    scheduleToCloseTimeout: c.scheduleToCloseTimeout,
    nexusHeader: c.nexusHeader,
    workflowTaskCompletedEventId: completedId,
    requestId,
    endpointId: endpoint.id,
  }, m.now, userMetadata);
  const op: NexusOperationState = {
    scheduledEventId: id,
    endpoint: c.endpoint,
    endpointId: endpoint.id,
    service: c.service,
    operation: c.operation,
    requestId,
    input: c.input,
    header: c.nexusHeader,
    scheduledTime: m.now,
    scheduleToCloseMs: ms(c.scheduleToCloseTimeout),
    phase: 'scheduled',
    attempt: 1,
  };
  operations(m.state)[id] = op;
  offerNexusTask(m, op, false);
}

/** The queue of the endpoint's target, as it is now; none when the endpoint was deleted. */
function nexusQueue(engine: Engine, op: NexusOperationState): string | undefined {
  const target = engine.nexusEndpoints.byId(op.endpointId)?.spec.target?.worker;
  return target && Matching.key(target.namespace, 'nexus', target.taskQueue);
}

/** Sends a request to the endpoint's handlers; with the endpoint gone, the request fails as the real server's does. */
function offerNexusTask(m: Mutation, op: NexusOperationState, cancel: boolean): void {
  const queue = nexusQueue(m.engine, op);
  const attempt = cancel ? op.cancel!.attempt : op.attempt;
  if (queue) {
    m.offer(queue, { kind: 'nexus', runId: m.state.runId, scheduledEventId: op.scheduledEventId, attempt, cancel });
    return;
  }
  const failure = { message: `endpoint "${op.endpoint}" not found`, nexusHandlerFailureInfo: { type: 'NOT_FOUND' } };
  if (cancel) cancelFailed(m, op, failure);
  else finish(m, op, 'NEXUS_OPERATION_FAILED', { failure: operationFailure(op, failure) });
}

function cancelFailed(m: Mutation, op: NexusOperationState, failure: Msg): void {
  op.cancel!.phase = 'failed';
  addExternalEvents(m, [{ eventType: 'NEXUS_OPERATION_CANCEL_REQUEST_FAILED', attrs: { requestedEventId: op.cancel!.requestedEventId, scheduledEventId: op.scheduledEventId, failure } }]);
}

/** After a restart: the requests waiting for a handler go back on their queues. */
export function offerPendingNexusTasks(engine: Engine, s: RunState): void {
  for (const op of Object.values(s.nexusOperations ?? {})) {
    const cancel = op.cancel?.phase === 'scheduled';
    const queue = nexusQueue(engine, op);
    if ((op.phase !== 'scheduled' && !cancel) || !queue) continue;
    engine.matching.offer(queue, { kind: 'nexus', runId: s.runId, scheduledEventId: op.scheduledEventId, attempt: cancel ? op.cancel!.attempt : op.attempt, cancel });
  }
}

/** RequestCancelNexusOperation: answers true when the operation is canceled at once (the workflow must hear of it). */
export function requestCancelNexusOperation(m: Mutation, scheduledEventId: number, completedId: number): boolean {
  const op = m.state.nexusOperations?.[scheduledEventId];
  if (!op) throw invalidArgument(`no pending Nexus operation with scheduled event id ${scheduledEventId}`);
  if (op.cancel) return false;
  const requestedEventId = m.append('NEXUS_OPERATION_CANCEL_REQUESTED', { scheduledEventId, workflowTaskCompletedEventId: completedId });
  if (op.phase === 'scheduled' || op.phase === 'backoff') {
    // Never reached a handler: nothing to cancel there.
    delete operations(m.state)[scheduledEventId];
    m.append('NEXUS_OPERATION_CANCELED', { scheduledEventId, requestId: op.requestId, failure: operationFailure(op, { message: 'operation canceled before it was started', canceledFailureInfo: {} }) });
    return true;
  }
  op.cancel = { requestedEventId, requestedTime: m.now, phase: op.phase === 'started' ? 'scheduled' : 'waiting', attempt: 1 };
  if (op.phase === 'started') offerNexusTask(m, op, true);
  return false;
}

/** A handler worker takes a request: the PollNexusTaskQueue answer, or null when it went stale. */
function startNexusTask(m: Mutation, task: NexusTask): Msg | null {
  const s = m.state;
  const op = s.nexusOperations?.[task.scheduledEventId];
  const stale = !m.exec.isOpen || !op || (task.cancel ? op.cancel?.phase !== 'scheduled' || op.cancel.attempt !== task.attempt : op.phase !== 'scheduled' || op.attempt !== task.attempt);
  if (stale) {
    m.persist = false;
    return null;
  }
  const ref: NexusTaskRef = { namespaceId: m.engine.requireNamespace(s.namespace).id, workflowId: s.workflowId, runId: s.runId, scheduledEventId: op.scheduledEventId, attempt: task.attempt, cancel: task.cancel };
  const request: Msg = { header: op.header, scheduledTime: timestamp(op.scheduledTime), endpoint: op.endpoint };
  if (task.cancel) {
    Object.assign(op.cancel!, { phase: 'sent', sentTime: m.now });
    request.cancelOperation = { service: op.service, operation: op.operation, operationId: op.operationToken, operationToken: op.operationToken };
  } else {
    Object.assign(op, { phase: 'starting', sentTime: m.now });
    const token = Buffer.from(JSON.stringify({ namespace: s.namespace, workflowId: s.workflowId, runId: s.runId, scheduledEventId: op.scheduledEventId, requestId: op.requestId })).toString('base64url');
    request.startOperation = {
      service: op.service,
      operation: op.operation,
      requestId: op.requestId,
      callback: SYSTEM_CALLBACK_URL,
      callbackHeader: { [CALLBACK_TOKEN_HEADER]: token },
      payload: op.input,
    };
  }
  return { taskToken: Buffer.from(JSON.stringify(ref)), request };
}

export function pollNexusTask(engine: Engine, req: Msg, ctx: CallContext): Promise<Msg> {
  const key = Matching.key(req.namespace, 'nexus', polledQueueName(engine, req));
  return pollQueue(engine, key, req, ctx, async (exec, task) => (task.kind === 'nexus' ? engine.mutate(exec, (m) => startNexusTask(m, task)) : null));
}

/** Applies `change` to the operation whose request a task token names, while that request is out. */
async function byToken(engine: Engine, taskToken: Buffer | undefined, change: (m: Mutation, op: NexusOperationState, ref: NexusTaskRef) => void): Promise<Msg> {
  let ref: NexusTaskRef;
  try {
    ref = JSON.parse(Buffer.from(taskToken ?? []).toString());
  } catch {
    throw invalidArgument('error deserializing task token');
  }
  const exec = await engine.find(engine.namespaceById(ref.namespaceId).name, ref.workflowId, ref.runId);
  await engine.mutate(exec, (m) => {
    const op = m.state.nexusOperations?.[ref.scheduledEventId];
    const out = ref.cancel ? op?.cancel?.phase === 'sent' && op.cancel.attempt === ref.attempt : op?.phase === 'starting' && op.attempt === ref.attempt;
    if (!exec.isOpen || !op || !out) throw notFound('Nexus task not found or already completed.');
    change(m, op, ref);
  });
  return {};
}

export function respondNexusTaskCompleted(engine: Engine, req: Msg): Promise<Msg> {
  return byToken(engine, req.taskToken, (m, op, ref) => {
    if (ref.cancel) {
      op.cancel!.phase = 'done';
      addExternalEvents(m, [{ eventType: 'NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED', attrs: { requestedEventId: op.cancel!.requestedEventId, scheduledEventId: op.scheduledEventId } }]);
      return;
    }
    const start: Msg = req.response?.startOperation ?? {};
    if (start.syncSuccess) return finish(m, op, 'NEXUS_OPERATION_COMPLETED', { result: start.syncSuccess.payload });
    if (start.asyncSuccess) return started(m, op, start.asyncSuccess.operationToken || start.asyncSuccess.operationId || '');
    const failure: Msg = start.failure ?? fromOperationError(start.operationError);
    if (failure.canceledFailureInfo) finish(m, op, 'NEXUS_OPERATION_CANCELED', { failure: operationFailure(op, failure) });
    else finish(m, op, 'NEXUS_OPERATION_FAILED', { failure: operationFailure(op, failure) });
  });
}

/** A handler error: retried with backoff, unless the handler or its error type says it is final. */
export function respondNexusTaskFailed(engine: Engine, req: Msg): Promise<Msg> {
  return byToken(engine, req.taskToken, (m, op, ref) => {
    const failure: Msg = req.failure ?? { message: req.error?.failure?.message ?? '', nexusHandlerFailureInfo: { type: req.error?.errorType, retryBehavior: req.error?.retryBehavior } };
    // With no maximum attempts and no failure to judge, the default policy always retries.
    const { delayMs } = decideRetry(RETRY_POLICY, ref.attempt, undefined, m.now) as { delayMs: number };
    if (ref.cancel) {
      const cancel = op.cancel!;
      if (retryable(failure)) Object.assign(cancel, { phase: 'backoff', retryAt: m.now + delayMs, attempt: cancel.attempt + 1 });
      else cancelFailed(m, op, failure);
      return;
    }
    if (retryable(failure)) Object.assign(op, { phase: 'backoff', retryAt: m.now + delayMs, attempt: op.attempt + 1, lastFailure: failure });
    else finish(m, op, 'NEXUS_OPERATION_FAILED', { failure: operationFailure(op, failure) });
  });
}

function retryable(failure: Msg): boolean {
  const info = failure.nexusHandlerFailureInfo;
  if (!info) return !failure.applicationFailureInfo?.nonRetryable;
  if (info.retryBehavior === 'NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE') return false;
  if (info.retryBehavior === 'NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE') return true;
  return !NON_RETRYABLE_HANDLER_ERRORS.has(info.type);
}

/** An UnsuccessfulOperationError (the older wire format) as a Temporal failure. */
function fromOperationError(error: Msg | undefined): Msg {
  const message = error?.failure?.message ?? 'operation failed';
  return error?.operationState === 'canceled'
    ? { message, canceledFailureInfo: {} }
    : { message, applicationFailureInfo: { type: 'OperationError', nonRetryable: true } };
}

/** The failure the workflow sees: the operation's, with what went wrong as its cause. */
function operationFailure(op: NexusOperationState, cause: Msg): Msg {
  return {
    message: 'nexus operation completed unsuccessfully',
    nexusOperationExecutionFailureInfo: {
      scheduledEventId: op.scheduledEventId,
      endpoint: op.endpoint,
      service: op.service,
      operation: op.operation,
      operationId: op.operationToken,
      operationToken: op.operationToken,
    },
    cause,
  };
}

function started(m: Mutation, op: NexusOperationState, operationToken: string): void {
  Object.assign(op, { phase: 'started', operationToken, sentTime: undefined });
  addExternalEvents(m, [{ eventType: 'NEXUS_OPERATION_STARTED', attrs: { scheduledEventId: op.scheduledEventId, operationId: operationToken, operationToken, requestId: op.requestId } }]);
  // A cancel requested while the start was out goes to the handler now.
  if (op.cancel?.phase === 'waiting') {
    op.cancel.phase = 'scheduled';
    offerNexusTask(m, op, true);
  }
}

function finish(m: Mutation, op: NexusOperationState, eventType: string, attrs: Msg): void {
  delete operations(m.state)[op.scheduledEventId];
  addExternalEvents(m, [{ eventType, attrs: { ...attrs, scheduledEventId: op.scheduledEventId, requestId: op.requestId } }]);
}

const OPERATION_STATE = { scheduled: 'SCHEDULED', starting: 'SCHEDULED', backoff: 'BACKING_OFF', started: 'STARTED' } as const;
const CANCELLATION_STATE = { waiting: 'SCHEDULED', scheduled: 'SCHEDULED', sent: 'SCHEDULED', backoff: 'BACKING_OFF', done: 'SUCCEEDED', failed: 'FAILED' } as const;

/** DescribeWorkflowExecution's pendingNexusOperations. */
export function pendingNexusOperations(s: RunState): Msg[] {
  return Object.values(s.nexusOperations ?? {}).map((op) => ({
    endpoint: op.endpoint,
    service: op.service,
    operation: op.operation,
    operationId: op.operationToken,
    operationToken: op.operationToken,
    scheduleToCloseTimeout: op.scheduleToCloseMs ? duration(op.scheduleToCloseMs) : undefined,
    scheduledTime: timestamp(op.scheduledTime),
    state: `PENDING_NEXUS_OPERATION_STATE_${OPERATION_STATE[op.phase]}`,
    attempt: op.attempt,
    lastAttemptFailure: op.lastFailure,
    nextAttemptScheduleTime: op.retryAt ? timestamp(op.retryAt) : undefined,
    scheduledEventId: op.scheduledEventId,
    cancellationInfo: op.cancel && {
      requestedTime: timestamp(op.cancel.requestedTime),
      state: `NEXUS_OPERATION_CANCELLATION_STATE_${CANCELLATION_STATE[op.cancel.phase]}`,
      attempt: op.cancel.attempt,
      nextAttemptScheduleTime: op.cancel.retryAt ? timestamp(op.cancel.retryAt) : undefined,
    },
  }));
}

/** The operations' deadlines: schedule-to-close, a request a handler holds too long, the end of a backoff. */
export function nexusDeadlines(s: RunState): number[] {
  const out: number[] = [];
  for (const op of Object.values(s.nexusOperations ?? {})) {
    if (op.scheduleToCloseMs) out.push(op.scheduledTime + op.scheduleToCloseMs);
    if (op.phase === 'starting') out.push(op.sentTime! + REQUEST_TIMEOUT_MS);
    if (op.phase === 'backoff') out.push(op.retryAt!);
    if (op.cancel?.phase === 'sent') out.push(op.cancel.sentTime! + REQUEST_TIMEOUT_MS);
    if (op.cancel?.phase === 'backoff') out.push(op.cancel.retryAt!);
  }
  return out;
}

export function handleNexusDeadlines(m: Mutation): void {
  for (const op of Object.values(m.state.nexusOperations ?? {})) {
    if (op.scheduleToCloseMs && op.scheduledTime + op.scheduleToCloseMs <= m.now) {
      const cause = { message: 'operation timed out', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE' } };
      finish(m, op, 'NEXUS_OPERATION_TIMED_OUT', { failure: operationFailure(op, cause) });
      continue;
    }
    if ((op.phase === 'starting' && op.sentTime! + REQUEST_TIMEOUT_MS <= m.now) || (op.phase === 'backoff' && op.retryAt! <= m.now)) {
      if (op.phase === 'starting') op.attempt++;
      Object.assign(op, { phase: 'scheduled', retryAt: undefined, sentTime: undefined });
      offerNexusTask(m, op, false);
    }
    const cancel = op.cancel;
    if (cancel && ((cancel.phase === 'sent' && cancel.sentTime! + REQUEST_TIMEOUT_MS <= m.now) || (cancel.phase === 'backoff' && cancel.retryAt! <= m.now))) {
      if (cancel.phase === 'sent') cancel.attempt++;
      Object.assign(cancel, { phase: 'scheduled', retryAt: undefined, sentTime: undefined });
      offerNexusTask(m, op, true);
    }
  }
}

/** Whether a request waits for a handler worker (time skipping waits for it as for a task). */
export function hasWaitingNexusTask(s: RunState): boolean {
  return Object.values(s.nexusOperations ?? {}).some((op) => op.phase === 'scheduled' || op.cancel?.phase === 'scheduled');
}

/** A run closing for good tells the Nexus operations it backs (its completion callbacks) how it ended. */
export function notifyNexusCallers(m: Mutation, closeNotice: Msg): void {
  for (const callback of m.state.completionCallbacks ?? []) {
    if (callback.nexus?.url === SYSTEM_CALLBACK_URL) m.transfer({ kind: 'nexusCompletion', header: callback.nexus.header ?? {}, closeNotice });
  }
}

/** The completion callback of a closed run, performed on the calling workflow's run. */
export async function deliverNexusCompletion(engine: Engine, t: Extract<Transfer, { kind: 'nexusCompletion' }>): Promise<void> {
  const header = Object.fromEntries(Object.entries(t.header).map(([k, v]) => [k.toLowerCase(), v]));
  let ref: { namespace: string; workflowId: string; runId: string; scheduledEventId: number; requestId: string };
  try {
    ref = JSON.parse(Buffer.from(header[CALLBACK_TOKEN_HEADER] ?? '', 'base64url').toString());
  } catch {
    return; // not a callback this server made
  }
  const caller: Execution | undefined = await engine.find(ref.namespace, ref.workflowId, ref.runId).catch(() => undefined);
  if (!caller) return;
  await engine.mutate(caller, (m) => {
    const op = m.state.nexusOperations?.[ref.scheduledEventId];
    if (!caller.isOpen || op?.requestId !== ref.requestId) {
      m.persist = false;
      return;
    }
    // The workflow may close before the handler's answer to the start arrives: it started all the same.
    if (op.phase !== 'started') started(m, op, header[OPERATION_TOKEN_HEADER] ?? '');
    const { eventType, attrs } = t.closeNotice;
    if (eventType === 'CHILD_WORKFLOW_EXECUTION_COMPLETED') finish(m, op, 'NEXUS_OPERATION_COMPLETED', { result: attrs.result?.payloads?.[0] });
    else if (eventType === 'CHILD_WORKFLOW_EXECUTION_CANCELED') {
      finish(m, op, 'NEXUS_OPERATION_CANCELED', { failure: operationFailure(op, { message: 'operation canceled', canceledFailureInfo: { details: attrs.details } }) });
    } else finish(m, op, 'NEXUS_OPERATION_FAILED', { failure: operationFailure(op, closeFailure(eventType, attrs)) });
  });
}

function closeFailure(eventType: string, attrs: Msg): Msg {
  if (eventType === 'CHILD_WORKFLOW_EXECUTION_FAILED') return attrs.failure;
  if (eventType === 'CHILD_WORKFLOW_EXECUTION_TERMINATED') return { message: 'operation terminated', terminatedFailureInfo: {} };
  return { message: 'operation exceeded internal timeout', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' } };
}
