/**
 * A run's life: start (with id reuse and conflict policies), signals, cancel requests, and every
 * way it closes: complete, fail (with workflow retry), cancel, continue-as-new, terminate, time out.
 */
import { randomUUID } from 'node:crypto';
import { invalidArgument, workflowAlreadyStarted, workflowCompleted } from '../grpc/errors.ts';
import { decode, duration, HISTORY_EVENT, ms, optionalDuration, timestamp, type Msg } from '../proto.ts';
import { closeChildren, notifyParentOfClose } from './children.ts';
import { cronBackoffMs } from './cron.ts';
import { notifyNexusCallers } from './nexus.ts';
import type { Engine } from './engine.ts';
import { Execution } from './execution.ts';
import { Mutation } from './mutation.ts';
import { payloadsSize } from './dynamic-config.ts';
import { decideRetry } from './retry.ts';
import { searchAttributesProblem, withTypes } from './search-attributes.ts';
import { nothingPending, RUNNING, type ExecutionStatus, type RunState } from './state.ts';
import { abortUpdates } from './updates.ts';
import { addExternalEvents, scheduleWorkflowTask, startOfferedWorkflowTask, type StartedTask } from './workflow-tasks.ts';

const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
const MAX_WORKFLOW_TASK_TIMEOUT_MS = 120_000;

/** What a new run needs beyond a StartWorkflowExecutionRequest. */
export interface RunOrigin {
  parent?: RunState['parent'];
  /** A child's root workflow: its parent's root. */
  root?: RunState['root'];
  /** Signal-with-start: the signal, written right after the start event. */
  signal?: Msg;
  /** Continue-as-new or retry: the run this one follows. */
  previous?: { state: RunState; initiator: string; failure?: Msg; lastCompletionResult?: Msg; attempt: number; backoffMs: number };
}

export function validateStart(req: Msg): void {
  if (!req.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  if (!req.workflowType?.name) throw invalidArgument('WorkflowType is not set on request.');
  if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request.');
  if (req.workflowId.length > 1000) throw invalidArgument('WorkflowId exceeds length limit.');
  if (req.cronSchedule) cronBackoffMs(req.cronSchedule, 0);
}

export interface StartResult {
  exec: Execution;
  started: boolean;
  /** Eager start: the run's first workflow task, already started for the caller's worker. */
  eagerTask?: StartedTask;
}

/**
 * StartWorkflowExecution semantics, including id reuse and conflict policies. `eager`: the
 * caller asked for eager execution, so a new run's first task is handed to it in the answer
 * (as the real server does; not for a delayed start, where there is no task to give yet).
 */
export async function startWorkflow(engine: Engine, req: Msg, origin: RunOrigin = {}, eager = false): Promise<StartResult> {
  validateStart(req);
  checkBlobSize(engine, req.input);
  engine.requireNamespace(req.namespace);
  if (req.searchAttributes) {
    const types = engine.searchAttributes.types(req.namespace);
    const problem = searchAttributesProblem(req.searchAttributes, types);
    if (problem) throw invalidArgument(problem);
    req = { ...req, searchAttributes: withTypes(req.searchAttributes, types) };
  }
  const create = async (ifWorkflowIdUnused: boolean): Promise<StartResult | undefined> => {
    const exec = new Execution(newRunState(engine.clock.now(), req, origin), []);
    let eagerTask: StartedTask | undefined;
    const created = await engine.create(
      exec,
      (m) => {
        writeStart(m, req, origin);
        if (eager) eagerTask = startOfferedWorkflowTask(m, req.identity ?? '') ?? undefined;
      },
      { ifWorkflowIdUnused },
    );
    return created ? { exec, started: true, eagerTask } : undefined;
  };
  return engine.withWorkflowIdLock(req.namespace, req.workflowId, async () => {
    // Most starts are of a workflow id with no run yet. When none is in memory, the run is written
    // on that assumption, in a write the store refuses if it has a run of the id: a read saved per
    // start. Refused, the current run is read and the policies below decide.
    if (!engine.hasCurrentInMemory(req.namespace, req.workflowId)) {
      const created = await create(true);
      if (created) return created;
    }
    const current = await engine.findCurrent(req.namespace, req.workflowId);
    if (current && req.requestId && current.state.startRequestId === req.requestId) return { exec: current, started: true };
    if (current?.isOpen) {
      const conflict = req.workflowIdConflictPolicy;
      if (conflict === 'WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING') return { exec: current, started: false };
      const terminateExisting =
        conflict === 'WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING' || req.workflowIdReusePolicy === 'WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING';
      if (!terminateExisting) throw workflowAlreadyStarted(current.state.startRequestId, current.runId);
      await terminateRun(engine, current, { reason: 'terminated by a new start of the same workflow id', identity: req.identity });
    } else if (current) {
      const policy = req.workflowIdReusePolicy;
      const failed = current.state.status !== 'WORKFLOW_EXECUTION_STATUS_COMPLETED' && current.state.status !== 'WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW';
      if (policy === 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE' || (policy === 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && !failed)) {
        throw workflowAlreadyStarted(current.state.startRequestId, current.runId);
      }
    }
    return (await create(false))!;
  });
}

function newRunState(now: number, req: Msg, origin: RunOrigin): RunState {
  const runId = randomUUID();
  const previous = origin.previous?.state;
  const executionTimeoutMs = ms(req.workflowExecutionTimeout);
  const executionExpiresAt = previous ? previous.executionExpiresAt : executionTimeoutMs ? now + executionTimeoutMs : undefined;
  let runTimeoutMs = ms(req.workflowRunTimeout);
  if (executionTimeoutMs && (!runTimeoutMs || runTimeoutMs > executionTimeoutMs)) runTimeoutMs = executionTimeoutMs;
  const backoffMs = origin.previous?.backoffMs ?? (req.cronSchedule ? cronBackoffMs(req.cronSchedule, now) : ms(req.workflowStartDelay));
  return {
    namespace: req.namespace,
    workflowId: req.workflowId,
    runId,
    firstRunId: previous?.firstRunId ?? runId,
    workflowType: req.workflowType.name,
    taskQueue: req.taskQueue.name,
    status: RUNNING,
    startTime: now,
    executionTime: now + backoffMs,
    workflowTaskTimeoutMs: Math.min(ms(req.workflowTaskTimeout) || DEFAULT_WORKFLOW_TASK_TIMEOUT_MS, MAX_WORKFLOW_TASK_TIMEOUT_MS),
    runTimeoutMs,
    executionTimeoutMs,
    runExpiresAt: runTimeoutMs ? now + backoffMs + runTimeoutMs : undefined,
    executionExpiresAt,
    attempt: origin.previous?.attempt ?? 1,
    retryPolicy: req.retryPolicy,
    startRequestId: req.requestId || randomUUID(),
    nextEventId: 1,
    wftNonce: 0,
    ...nothingPending(),
    memo: req.memo,
    searchAttributes: req.searchAttributes,
    parent: origin.parent ?? previous?.parent,
    root: origin.root ?? previous?.root,
    priority: req.priority,
    userMetadata: req.userMetadata,
    historySizeBytes: 0,
    cronSchedule: req.cronSchedule || undefined,
    completionCallbacks: req.completionCallbacks?.length ? req.completionCallbacks : previous?.completionCallbacks,
  };
}

function writeStart(m: Mutation, req: Msg, origin: RunOrigin): void {
  const s = m.state;
  const previous = origin.previous;
  const backoffMs = s.executionTime - s.startTime;
  m.append('WORKFLOW_EXECUTION_STARTED', {
    workflowType: req.workflowType,
    parentWorkflowNamespace: s.parent?.namespace,
    parentWorkflowExecution: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : undefined,
    parentInitiatedEventId: s.parent?.initiatedEventId,
    taskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
    input: req.input,
    workflowExecutionTimeout: optionalDuration(s.executionTimeoutMs),
    workflowRunTimeout: optionalDuration(s.runTimeoutMs),
    workflowTaskTimeout: duration(s.workflowTaskTimeoutMs),
    continuedExecutionRunId: previous?.state.runId,
    initiator: previous?.initiator,
    continuedFailure: previous?.failure,
    lastCompletionResult: previous?.lastCompletionResult,
    originalExecutionRunId: s.runId,
    identity: req.identity,
    firstExecutionRunId: s.firstRunId,
    retryPolicy: req.retryPolicy,
    attempt: s.attempt,
    workflowExecutionExpirationTime: s.executionExpiresAt ? timestamp(s.executionExpiresAt) : undefined,
    firstWorkflowTaskBackoff: optionalDuration(backoffMs),
    memo: req.memo,
    searchAttributes: req.searchAttributes,
    header: req.header,
    workflowId: s.workflowId,
    priority: req.priority,
    rootWorkflowExecution: s.root,
    cronSchedule: s.cronSchedule,
  }, m.now, req.userMetadata);
  if (origin.signal) m.append('WORKFLOW_EXECUTION_SIGNALED', origin.signal);
  scheduleWorkflowTask(m, { notBefore: s.executionTime });
}

/** Starts the next run of the chain in the same write as this run's close. */
function spawnNextRun(m: Mutation, req: Msg, previous: NonNullable<RunOrigin['previous']>): string {
  const exec = new Execution(newRunState(m.now, req, { previous }), []);
  const next = new Mutation(m.engine, exec);
  writeStart(next, req, { previous });
  m.spawned.push(next);
  m.state.newRunId = exec.runId;
  return exec.runId;
}

/**
 * Closes the run: appends what was buffered and the close event, drops pending work, and
 * queues the effects on other runs (parent, children).
 */
function closeRun(m: Mutation, status: ExecutionStatus, eventType: string, attrs: Msg, parentNotice?: Msg): void {
  const s = m.state;
  if (s.wft?.startedEventId !== undefined && !s.wft.transient) {
    m.append('WORKFLOW_TASK_FAILED', {
      scheduledEventId: s.wft.scheduledEventId,
      startedEventId: s.wft.startedEventId,
      cause: 'WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND',
    });
  }
  m.appendAll(s.buffered);
  m.append(eventType, attrs);
  s.status = status;
  s.closeTime = m.now;
  s.wft = null;
  s.buffered = [];
  s.activities = {};
  s.timers = {};
  abortUpdates(s);
  closeChildren(m);
  // A close for good (not continued in a new run): the parent and any Nexus caller hear of it.
  if (parentNotice) {
    notifyParentOfClose(m, parentNotice);
    notifyNexusCallers(m, parentNotice);
  }
}

export function completeRun(m: Mutation, a: Msg, completedId: number): void {
  const newExecutionRunId = nextCronRun(m, { lastCompletionResult: a.result });
  closeRun(m, 'WORKFLOW_EXECUTION_STATUS_COMPLETED', 'WORKFLOW_EXECUTION_COMPLETED', { result: a.result, workflowTaskCompletedEventId: completedId, newExecutionRunId }, newExecutionRunId ? undefined : {
    eventType: 'CHILD_WORKFLOW_EXECUTION_COMPLETED',
    attrs: { result: a.result },
  });
}

/** A cron chain goes on after a run completes, fails (retries used up) or times out: the next run starts at the next cron time. */
function nextCronRun(m: Mutation, carried: { lastCompletionResult?: Msg; failure?: Msg }): string | undefined {
  const s = m.state;
  if (!s.cronSchedule) return undefined;
  const started = decode(HISTORY_EVENT, m.exec.history![0]).workflowExecutionStartedEventAttributes ?? {};
  return spawnNextRun(m, startRequestOf(s, { input: started.input, header: started.header }), {
    state: { ...s },
    initiator: 'CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE',
    ...carried,
    attempt: 1,
    backoffMs: cronBackoffMs(s.cronSchedule, m.now),
  });
}

export function failRun(m: Mutation, a: Msg, completedId: number): void {
  const s = m.state;
  const decision = decideRetry(s.retryPolicy, s.attempt, a.failure, m.now, s.executionExpiresAt);
  if (decision.retry) {
    // The next attempt runs with this run's input and header, read from its start event.
    const started = decode(HISTORY_EVENT, m.exec.history![0]).workflowExecutionStartedEventAttributes ?? {};
    const newRunId = spawnNextRun(m, startRequestOf(s, { input: started.input, header: started.header }), {
      state: { ...s },
      initiator: 'CONTINUE_AS_NEW_INITIATOR_RETRY',
      failure: a.failure,
      attempt: s.attempt + 1,
      backoffMs: decision.delayMs,
    });
    closeRun(m, 'WORKFLOW_EXECUTION_STATUS_FAILED', 'WORKFLOW_EXECUTION_FAILED', {
      failure: a.failure,
      retryState: 'RETRY_STATE_IN_PROGRESS',
      workflowTaskCompletedEventId: completedId,
      newExecutionRunId: newRunId,
    });
    return;
  }
  const newExecutionRunId = nextCronRun(m, { failure: a.failure });
  closeRun(
    m,
    'WORKFLOW_EXECUTION_STATUS_FAILED',
    'WORKFLOW_EXECUTION_FAILED',
    { failure: a.failure, retryState: decision.retryState, workflowTaskCompletedEventId: completedId, newExecutionRunId },
    newExecutionRunId ? undefined : { eventType: 'CHILD_WORKFLOW_EXECUTION_FAILED', attrs: { failure: a.failure, retryState: decision.retryState } },
  );
}

export function cancelRun(m: Mutation, a: Msg, completedId: number): void {
  closeRun(m, 'WORKFLOW_EXECUTION_STATUS_CANCELED', 'WORKFLOW_EXECUTION_CANCELED', { details: a.details, workflowTaskCompletedEventId: completedId }, {
    eventType: 'CHILD_WORKFLOW_EXECUTION_CANCELED',
    attrs: { details: a.details },
  });
}

/** The start request of the next run of a chain, from this run and the command's overrides. */
function startRequestOf(s: RunState, a: Msg): Msg {
  return {
    namespace: s.namespace,
    workflowId: s.workflowId,
    workflowType: a.workflowType?.name ? a.workflowType : { name: s.workflowType },
    taskQueue: a.taskQueue?.name ? a.taskQueue : { name: s.taskQueue },
    input: a.input,
    workflowRunTimeout: a.workflowRunTimeout ?? optionalDuration(s.runTimeoutMs),
    workflowTaskTimeout: a.workflowTaskTimeout ?? duration(s.workflowTaskTimeoutMs),
    workflowExecutionTimeout: optionalDuration(s.executionTimeoutMs),
    retryPolicy: a.retryPolicy ?? s.retryPolicy,
    memo: a.memo ?? s.memo,
    searchAttributes: a.searchAttributes ?? s.searchAttributes,
    header: a.header,
    priority: s.priority,
    cronSchedule: s.cronSchedule,
  };
}

export function continueAsNew(m: Mutation, a: Msg, completedId: number): void {
  const s = m.state;
  const req = startRequestOf(s, { ...a, searchAttributes: withTypes(a.searchAttributes, m.engine.searchAttributes.types(s.namespace)) });
  const newRunId = spawnNextRun(m, req, {
    state: { ...s },
    initiator: a.initiator || 'CONTINUE_AS_NEW_INITIATOR_WORKFLOW',
    failure: a.failure,
    lastCompletionResult: a.lastCompletionResult,
    attempt: 1,
    backoffMs: ms(a.backoffStartInterval),
  });
  closeRun(m, 'WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW', 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW', {
    newExecutionRunId: newRunId,
    workflowType: req.workflowType,
    taskQueue: { name: req.taskQueue.name, kind: 'TASK_QUEUE_KIND_NORMAL' },
    input: a.input,
    workflowRunTimeout: req.workflowRunTimeout,
    workflowTaskTimeout: req.workflowTaskTimeout,
    workflowTaskCompletedEventId: completedId,
    backoffStartInterval: a.backoffStartInterval,
    initiator: a.initiator || 'CONTINUE_AS_NEW_INITIATOR_WORKFLOW',
    header: a.header,
    memo: req.memo,
    searchAttributes: req.searchAttributes,
  });
}

export function timeOutRun(m: Mutation): void {
  const newExecutionRunId = nextCronRun(m, {});
  closeRun(m, 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT', 'WORKFLOW_EXECUTION_TIMED_OUT', { retryState: 'RETRY_STATE_TIMEOUT', newExecutionRunId }, newExecutionRunId ? undefined : {
    eventType: 'CHILD_WORKFLOW_EXECUTION_TIMED_OUT',
    attrs: { retryState: 'RETRY_STATE_TIMEOUT' },
  });
}

export function terminateRun(engine: Engine, exec: Execution, req: Msg): Promise<void> {
  return engine.mutate(exec, (m) => {
    if (!exec.isOpen) throw workflowCompleted();
    terminateInChange(m, req);
  });
}

/** Terminates the run as part of the change at hand. */
export function terminateInChange(m: Mutation, req: Msg): void {
  closeRun(m, 'WORKFLOW_EXECUTION_STATUS_TERMINATED', 'WORKFLOW_EXECUTION_TERMINATED', { reason: req.reason, details: req.details, identity: req.identity }, {
    eventType: 'CHILD_WORKFLOW_EXECUTION_TERMINATED',
    attrs: {},
  });
}

export function requestCancel(engine: Engine, exec: Execution, req: Msg): Promise<void> {
  return engine.mutate(exec, (m) => {
    if (!exec.isOpen) throw workflowCompleted();
    if (m.state.cancelRequested) {
      m.persist = false;
      return;
    }
    m.state.cancelRequested = true;
    addExternalEvents(m, [
      {
        eventType: 'WORKFLOW_EXECUTION_CANCEL_REQUESTED',
        attrs: { cause: req.reason, identity: req.identity, externalInitiatedEventId: req.externalInitiatedEventId, externalWorkflowExecution: req.externalWorkflowExecution },
      },
    ]);
  });
}

export function signal(engine: Engine, exec: Execution, req: Msg): Promise<void> {
  checkBlobSize(engine, req.input);
  return engine.mutate(exec, (m) => {
    if (!exec.isOpen) throw workflowCompleted();
    const s = m.state;
    if (req.requestId && s.signalRequestIds.includes(req.requestId)) {
      m.persist = false;
      return;
    }
    if (req.requestId) s.signalRequestIds = [...s.signalRequestIds.slice(-49), req.requestId];
    addExternalEvents(m, [{ eventType: 'WORKFLOW_EXECUTION_SIGNALED', attrs: signalAttributes(req) }]);
  });
}

/** A request's payloads past the blob size limit are refused, as the real frontend does. */
export function checkBlobSize(engine: Engine, payloads: Msg | undefined): void {
  if (payloadsSize(payloads) > engine.limits.blobSizeError) throw invalidArgument('Blob data size exceeds limit.');
}

export function signalAttributes(req: Msg): Msg {
  return { signalName: req.signalName, input: req.input, identity: req.identity, header: req.header, externalWorkflowExecution: req.externalWorkflowExecution };
}
