/**
 * Standalone activities (StartActivityExecution and the rest of `client.activity`): an activity
 * run on a task queue without a workflow. Each is kept as a run of its own under a reserved id
 * (`temporal-sys-activity:<activity id>`), whose only pending work is the activity, so dispatch,
 * heartbeats, the four timeouts, retries, time skipping, persistence and recovery are those of
 * activities.ts. Where a workflow would hear of the outcome, the run closes with it instead.
 * Workflow lists leave these runs out (visibility.ts); activity lists read only them. Started
 * with completion callbacks (a Nexus operation backed by the activity), its close reports there.
 */
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { failedPrecondition, invalidArgument, notFound, RpcError } from '../grpc/errors.ts';
import type { CallContext } from '../grpc/service.ts';
import { duration, ms, timestamp, type Msg } from '../proto.ts';
import { cancelActivity, scheduleActivity } from './activities.ts';
import { activityOptions, pauseActivities, unpauseActivities, updateActivityOptions } from './activity-control.ts';
import type { Engine } from './engine.ts';
import { Execution } from './execution.ts';
import type { Mutation } from './mutation.ts';
import { notifyNexusCallers } from './nexus.ts';
import { withTypes } from './search-attributes.ts';
import { nothingPending, RUNNING, type ActivityState, type BufferedEvent, type ExecutionStatus, type RunState } from './state.ts';
import { checkBlobSize } from './workflow-lifecycle.ts';

export const STANDALONE_ACTIVITY_ID_PREFIX = 'temporal-sys-activity:';
/** The activity is the first event of its run's history. */
const ACTIVITY_EVENT_ID = 1;
const LONG_POLL_MS = 60_000;

const carrierId = (activityId: string) => `${STANDALONE_ACTIVITY_ID_PREFIX}${activityId}`;

const STATUS: Record<ExecutionStatus, string> = {
  WORKFLOW_EXECUTION_STATUS_RUNNING: 'ACTIVITY_EXECUTION_STATUS_RUNNING',
  WORKFLOW_EXECUTION_STATUS_COMPLETED: 'ACTIVITY_EXECUTION_STATUS_COMPLETED',
  WORKFLOW_EXECUTION_STATUS_FAILED: 'ACTIVITY_EXECUTION_STATUS_FAILED',
  WORKFLOW_EXECUTION_STATUS_CANCELED: 'ACTIVITY_EXECUTION_STATUS_CANCELED',
  WORKFLOW_EXECUTION_STATUS_TERMINATED: 'ACTIVITY_EXECUTION_STATUS_TERMINATED',
  WORKFLOW_EXECUTION_STATUS_TIMED_OUT: 'ACTIVITY_EXECUTION_STATUS_TIMED_OUT',
  WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW: 'ACTIVITY_EXECUTION_STATUS_UNSPECIFIED',
};

const activityAlreadyStarted = (startRequestId: string, runId: string) =>
  new RpcError(status.ALREADY_EXISTS, 'activity execution already started', {
    typeName: 'temporal.api.errordetails.v1.ActivityExecutionAlreadyStartedFailure',
    value: { startRequestId, runId },
  });

export async function startActivityExecution(engine: Engine, req: Msg): Promise<Msg> {
  engine.requireNamespace(req.namespace);
  if (!req.activityId) throw invalidArgument('activityId is not set');
  if (!req.activityType?.name) throw invalidArgument('activityType is not set');
  if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request.');
  checkBlobSize(engine, req.input);
  const id = carrierId(req.activityId);
  return engine.withWorkflowIdLock(req.namespace, id, async () => {
    const current = await engine.findCurrent(req.namespace, id);
    if (current && req.requestId && current.state.startRequestId === req.requestId) return started(req, current, true);
    if (current?.isOpen) {
      if (req.idConflictPolicy === 'ACTIVITY_ID_CONFLICT_POLICY_USE_EXISTING') return started(req, current, false);
      throw activityAlreadyStarted(current.state.startRequestId, current.runId);
    }
    if (current) {
      const policy = req.idReusePolicy;
      const failed = current.state.status !== 'WORKFLOW_EXECUTION_STATUS_COMPLETED';
      if (policy === 'ACTIVITY_ID_REUSE_POLICY_REJECT_DUPLICATE' || (policy === 'ACTIVITY_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && !failed)) {
        throw activityAlreadyStarted(current.state.startRequestId, current.runId);
      }
    }
    const exec = new Execution(carrierState(engine, req), []);
    await engine.create(exec, (m) => {
      scheduleActivity(m, req, 0, undefined, req.userMetadata);
      const delay = ms(req.startDelay);
      // The first attempt waits out its start delay as a retry waits out its backoff.
      if (delay > 0) Object.assign(m.state.activities[ACTIVITY_EVENT_ID], { phase: 'backoff', retryAt: m.now + delay });
    });
    return started(req, exec, true);
  });
}

function started(req: Msg, exec: Execution, isNew: boolean): Msg {
  return { runId: exec.runId, started: isNew, link: { activity: { namespace: req.namespace, activityId: req.activityId, runId: exec.runId } } };
}

function carrierState(engine: Engine, req: Msg): RunState {
  const runId = randomUUID();
  const now = engine.clock.now();
  return {
    namespace: req.namespace,
    workflowId: carrierId(req.activityId),
    runId,
    firstRunId: runId,
    workflowType: req.activityType.name,
    taskQueue: req.taskQueue.name,
    status: RUNNING,
    startTime: now,
    executionTime: now + ms(req.startDelay),
    workflowTaskTimeoutMs: 0,
    runTimeoutMs: 0,
    executionTimeoutMs: 0,
    attempt: 1,
    startRequestId: req.requestId || randomUUID(),
    nextEventId: 1,
    wftNonce: 0,
    ...nothingPending(),
    searchAttributes: req.searchAttributes ? withTypes(req.searchAttributes, engine.searchAttributes.types(req.namespace)) : undefined,
    priority: req.priority,
    userMetadata: req.userMetadata,
    historySizeBytes: 0,
    standaloneActivity: { activityId: req.activityId, startDelay: req.startDelay },
    completionCallbacks: req.completionCallbacks?.length ? req.completionCallbacks : undefined,
  };
}

/** The activity's outcome events close its run (called by activities.ts where a workflow would be told). */
export function closeStandaloneActivity(m: Mutation, a: ActivityState, events: BufferedEvent[]): void {
  m.appendAll(events);
  const { eventType, attrs } = events[events.length - 1];
  if (eventType === 'ACTIVITY_TASK_COMPLETED') close(m, a, 'WORKFLOW_EXECUTION_STATUS_COMPLETED', { result: attrs.result });
  else if (eventType === 'ACTIVITY_TASK_FAILED') close(m, a, 'WORKFLOW_EXECUTION_STATUS_FAILED', { failure: attrs.failure, retryState: attrs.retryState });
  else if (eventType === 'ACTIVITY_TASK_TIMED_OUT') close(m, a, 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT', { failure: attrs.failure, retryState: attrs.retryState });
  else close(m, a, 'WORKFLOW_EXECUTION_STATUS_CANCELED', { failure: canceledFailure(attrs.details, m.state.standaloneActivity?.cancel?.identity) });
}

function close(m: Mutation, a: ActivityState, closeStatus: ExecutionStatus, outcome: Msg): void {
  const s = m.state;
  s.standaloneActivity = { ...s.standaloneActivity!, last: a, outcome };
  s.status = closeStatus;
  s.closeTime = m.now;
  s.activities = {};
  notifyNexusCallers(m, closeNotice(closeStatus, outcome));
}

/** The close told to a Nexus operation this activity backs, in the shape a workflow's close has. */
function closeNotice(closeStatus: ExecutionStatus, outcome: Msg): Msg {
  if (closeStatus === 'WORKFLOW_EXECUTION_STATUS_COMPLETED') return { eventType: 'CHILD_WORKFLOW_EXECUTION_COMPLETED', attrs: { result: outcome.result } };
  if (closeStatus === 'WORKFLOW_EXECUTION_STATUS_CANCELED') return { eventType: 'CHILD_WORKFLOW_EXECUTION_CANCELED', attrs: { details: outcome.failure.canceledFailureInfo?.details } };
  if (closeStatus === 'WORKFLOW_EXECUTION_STATUS_TERMINATED') return { eventType: 'CHILD_WORKFLOW_EXECUTION_TERMINATED', attrs: {} };
  return { eventType: 'CHILD_WORKFLOW_EXECUTION_FAILED', attrs: { failure: outcome.failure } };
}

function canceledFailure(details: Msg | undefined, identity: string | undefined): Msg {
  return { message: 'Activity canceled', canceledFailureInfo: { details, identity } };
}

/** The standalone activity a request names (its latest run when runId is empty). */
export async function findStandaloneActivity(engine: Engine, req: Msg): Promise<Execution> {
  engine.requireNamespace(req.namespace);
  if (!req.activityId) throw invalidArgument('activityId is not set');
  const exec = await engine.find(req.namespace, carrierId(req.activityId), req.runId).catch((err) => {
    if (err instanceof RpcError && err.code === status.NOT_FOUND) return undefined;
    throw err;
  });
  if (!exec?.state.standaloneActivity) throw notFound(`activity execution not found for activity ID "${req.activityId}"`);
  return exec;
}

/** PollActivityExecution: waits (a long poll) for the activity to close and answers its outcome. */
export async function pollActivityExecution(engine: Engine, req: Msg, ctx: CallContext): Promise<Msg> {
  const exec = await findStandaloneActivity(engine, req);
  const until = Date.now() + Math.min(LONG_POLL_MS, ctx.deadline - Date.now() - 1000);
  while (exec.isOpen && Date.now() < until && !ctx.signal.aborted) await exec.waitForChange(until - Date.now(), ctx.signal);
  return exec.isOpen ? {} : { runId: exec.runId, outcome: exec.state.standaloneActivity!.outcome };
}

export async function describeActivityExecution(engine: Engine, req: Msg): Promise<Msg> {
  const exec = await findStandaloneActivity(engine, req);
  const s = exec.state;
  const sa = s.standaloneActivity!;
  const a = s.activities[ACTIVITY_EVENT_ID] ?? sa.last!;
  const scheduleToClose = ms(a.attrs.scheduleToCloseTimeout);
  const info: Msg = {
    activityId: sa.activityId,
    runId: s.runId,
    activityType: a.attrs.activityType,
    status: a.paused && exec.isOpen ? 'ACTIVITY_EXECUTION_STATUS_PAUSED' : STATUS[s.status],
    runState: exec.isOpen ? runState(a, !!sa.cancel) : undefined,
    ...activityOptions(a),
    taskQueue: a.attrs.taskQueue.name,
    heartbeatDetails: req.includeHeartbeatDetails ? a.heartbeatDetails : undefined,
    lastHeartbeatTime: a.lastHeartbeatTime ? timestamp(a.lastHeartbeatTime) : undefined,
    lastStartedTime: a.startedTime ? timestamp(a.startedTime) : undefined,
    attempt: a.attempt,
    executionDuration: s.closeTime ? duration(s.closeTime - s.startTime) : undefined,
    scheduleTime: timestamp(s.startTime),
    expirationTime: scheduleToClose ? timestamp(a.scheduledTime + scheduleToClose) : undefined,
    closeTime: s.closeTime ? timestamp(s.closeTime) : undefined,
    lastFailure: req.includeLastFailure ? a.lastFailure : undefined,
    lastWorkerIdentity: a.lastWorkerIdentity,
    nextAttemptScheduleTime: a.retryAt && exec.isOpen ? timestamp(a.retryAt) : undefined,
    stateTransitionCount: s.stateTransitions ?? 0,
    searchAttributes: s.searchAttributes,
    header: a.attrs.header,
    userMetadata: s.userMetadata,
    canceledReason: sa.cancel?.reason,
    startDelay: sa.startDelay,
    executionTime: timestamp(s.executionTime),
  };
  return {
    runId: s.runId,
    info,
    input: req.includeInput ? a.attrs.input : undefined,
    outcome: req.includeOutcome && !exec.isOpen ? sa.outcome : undefined,
  };
}

function runState(a: ActivityState, cancelRequested: boolean): string {
  if (a.paused) return 'PENDING_ACTIVITY_STATE_PAUSED';
  if (cancelRequested) return 'PENDING_ACTIVITY_STATE_CANCEL_REQUESTED';
  return a.phase === 'started' ? 'PENDING_ACTIVITY_STATE_STARTED' : 'PENDING_ACTIVITY_STATE_SCHEDULED';
}

/** Applies `change` to the open standalone activity a request names. */
async function onOpen<T>(engine: Engine, req: Msg, change: (m: Mutation, sa: NonNullable<RunState['standaloneActivity']>) => T): Promise<T> {
  const exec = await findStandaloneActivity(engine, req);
  return engine.mutate(exec, (m) => change(m, m.state.standaloneActivity!));
}

const terminalState = (s: RunState) => failedPrecondition(`activity is in terminal state ${STATUS[s.status]}`);

/**
 * RequestCancelActivityExecution: an activity with no attempt running is canceled at once;
 * a running one learns of it from its next heartbeat's answer, as in a workflow.
 */
export function requestCancelActivityExecution(engine: Engine, req: Msg): Promise<Msg> {
  return onOpen(engine, req, (m, sa) => {
    if (req.requestId && sa.cancel?.requestId === req.requestId) return {};
    if (m.state.status !== RUNNING) throw terminalState(m.state);
    if (sa.cancel) throw failedPrecondition(`cancellation already requested with request ID ${sa.cancel.requestId}`);
    sa.cancel = { requestId: req.requestId, reason: req.reason, identity: req.identity };
    const a = m.state.activities[ACTIVITY_EVENT_ID];
    if (cancelActivity(m, ACTIVITY_EVENT_ID, 0)) {
      const details = req.reason ? { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(req.reason)) }] } : undefined;
      close(m, a, 'WORKFLOW_EXECUTION_STATUS_CANCELED', { failure: canceledFailure(details, req.identity) });
    }
    return {};
  });
}

/** TerminateActivityExecution: closes it at once; a worker still running it is refused when it answers. */
export function terminateActivityExecution(engine: Engine, req: Msg): Promise<Msg> {
  return onOpen(engine, req, (m, sa) => {
    if (m.state.status !== RUNNING) {
      if (m.state.status === 'WORKFLOW_EXECUTION_STATUS_TERMINATED' && sa.terminateRequestId === req.requestId) return {};
      throw terminalState(m.state);
    }
    sa.terminateRequestId = req.requestId;
    const failure = { message: req.reason ?? '', terminatedFailureInfo: { identity: req.identity } };
    close(m, m.state.activities[ACTIVITY_EVENT_ID], 'WORKFLOW_EXECUTION_STATUS_TERMINATED', { failure });
    return {};
  });
}

/** Pause, unpause and option changes: the operator controls of a workflow's activities, on this one. */
export const pauseActivityExecution = (engine: Engine, req: Msg) =>
  onOpen(engine, req, (m, sa) => (requireOpen(m), pauseActivities(m, { ...req, id: sa.activityId }), {}));
export const unpauseActivityExecution = (engine: Engine, req: Msg) =>
  onOpen(engine, req, (m, sa) => (requireOpen(m), unpauseActivities(m, { ...req, id: sa.activityId }), {}));
export const updateActivityExecutionOptions = (engine: Engine, req: Msg) =>
  onOpen(engine, req, (m, sa) => (requireOpen(m), updateActivityOptions(m, { ...req, id: sa.activityId })));

function requireOpen(m: Mutation): void {
  if (m.state.status !== RUNNING) throw terminalState(m.state);
}

/** A row of ListWorkflowExecutions over the carrier runs, as ListActivityExecutions shows it. */
export function activityListInfo(row: Msg): Msg {
  return {
    activityId: String(row.execution.workflowId).slice(STANDALONE_ACTIVITY_ID_PREFIX.length),
    runId: row.execution.runId,
    activityType: { name: row.type.name },
    scheduleTime: row.startTime,
    closeTime: row.closeTime,
    status: STATUS[row.status as ExecutionStatus],
    searchAttributes: row.searchAttributes,
    taskQueue: row.taskQueue,
    executionTime: row.executionTime,
  };
}
