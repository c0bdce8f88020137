/**
 * Workflow tasks: scheduling, handing one to a poller, completion, failure and timeout.
 *
 * Events that arrive while a task is in flight are buffered and appended after it completes,
 * followed by a new task. Retries after a failure, and tasks created only to carry updates,
 * are transient: their Scheduled/Started events reach the history only if the task completes
 * (and a task that only rejected updates leaves no trace at all), as on the real server.
 */
import { randomUUID } from 'node:crypto';
import { invalidArgument, notFound, type RpcError } from '../grpc/errors.ts';
import { duration, encodeWithHistory, ms, timestamp, type Msg } from '../proto.ts';
import { applyCommands, badSearchAttributes, isCloseCommand, oversizedPayload } from './commands.ts';
import { buildIdsAttribute, completionVersioning, type RunVersioning } from './deployments.ts';
import type { Engine } from './engine.ts';
import { encodeEvent, type Execution } from './execution.ts';
import { Matching, type Task } from './matching.ts';
import type { Mutation } from './mutation.ts';
import type { BufferedEvent, RunState, WorkflowTaskState } from './state.ts';
import { encodeToken, type TaskToken } from './task-token.ts';
import { terminateInChange } from './workflow-lifecycle.ts';
import { abortSentUpdates, hasUndeliveredUpdates, isRejection, takeUpdatesForTask, returnUndeliveredUpdates } from './updates.ts';

const POLL_RESPONSE = 'temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse';
const POLL_RESPONSE_HISTORY_FIELD = 8;

/** The queue of the run's workflow tasks (a worker deployment version's, when versioned). */
export function workflowQueue(engine: Engine, s: RunState): string {
  return engine.deployments.route(s.namespace, 'workflow', s.taskQueue, s.versioning);
}

export function stickyQueue(namespace: string, name: string): string {
  return Matching.key(namespace, 'workflow', `sticky:${name}`);
}

/**
 * Offers a scheduled task: to the sticky queue of the worker that has the run cached (it gets
 * only the new events), or, with no such worker, to the task queue with the full history.
 */
export function offerWorkflowTask(m: Mutation, wft: WorkflowTaskState): void {
  const s = m.state;
  const task = { kind: 'workflow', runId: s.runId, nonce: wft.nonce } as const;
  if (s.sticky && m.engine.isStickyQueueGone(s.namespace, s.sticky.queue)) s.sticky = undefined;
  if (s.sticky) {
    wft.stickyUntil = m.now + s.sticky.timeoutMs;
    m.offer(stickyQueue(s.namespace, s.sticky.queue), task);
  } else {
    wft.stickyUntil = undefined;
    m.offer(workflowQueue(m.engine, s), task);
  }
}

/** The sticky worker did not take the task in time (or left): the task queue gets it. */
export function unstickWorkflowTask(m: Mutation, nonce?: number): void {
  const wft = m.state.wft;
  m.state.sticky = undefined;
  if (!wft || wft.stickyUntil === undefined || wft.startedEventId !== undefined || (nonce !== undefined && wft.nonce !== nonce)) return;
  offerWorkflowTask(m, wft);
}

export function scheduleWorkflowTask(
  m: Mutation,
  opts: { transient?: boolean; attempt?: number; notBefore?: number } = {},
): void {
  const s = m.state;
  if (s.wft || s.status !== 'WORKFLOW_EXECUTION_STATUS_RUNNING') return;
  const wft: WorkflowTaskState = {
    nonce: ++s.wftNonce,
    attempt: opts.attempt ?? 1,
    transient: opts.transient ?? false,
    scheduledEventId: 0,
    scheduledTime: m.now,
    notBefore: opts.notBefore && opts.notBefore > m.now ? opts.notBefore : undefined,
    updateIds: [],
  };
  s.wft = wft;
  if (!wft.transient) wft.scheduledEventId = m.append('WORKFLOW_TASK_SCHEDULED', scheduledAttributes(s, wft));
  if (!wft.notBefore) offerWorkflowTask(m, wft);
}

/** Called when a delayed task's time has come (see deadlines), or when it must go out `early`. */
export function releaseDelayedWorkflowTask(m: Mutation, early = false): void {
  const wft = m.state.wft;
  if (!wft?.notBefore || (wft.notBefore > m.now && !early)) return;
  wft.notBefore = undefined;
  offerWorkflowTask(m, wft);
}

/**
 * Adds events that come from outside the workflow's commands (signals, activity results, timer
 * fires...): buffered while a task is in flight, else appended, with a task to deliver them.
 */
export function addExternalEvents(m: Mutation, events: BufferedEvent[]): void {
  const s = m.state;
  if (s.wft?.startedEventId !== undefined) {
    s.buffered.push(...events);
    return;
  }
  m.appendAll(events);
  const wft = s.wft;
  if (wft?.transient && wft.attempt === 1) {
    // A speculative task can no longer vanish: it must now deliver these events too.
    wft.transient = false;
    wft.scheduledEventId = m.append('WORKFLOW_TASK_SCHEDULED', scheduledAttributes(s, wft));
  }
  scheduleWorkflowTask(m);
}

function scheduledAttributes(s: RunState, wft: WorkflowTaskState): Msg {
  return {
    taskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
    startToCloseTimeout: duration(s.workflowTaskTimeoutMs),
    attempt: wft.attempt,
  };
}

/** The started event; past the history limits it suggests continuing as new, as the real server does. */
function startedAttributes(m: Mutation, wft: WorkflowTaskState): Msg {
  const s = m.state;
  const { historyCountSuggestContinueAsNew, historySizeSuggestContinueAsNew } = m.engine.limits;
  const reasons: string[] = [];
  if (s.historySizeBytes >= historySizeSuggestContinueAsNew) reasons.push('SUGGEST_CONTINUE_AS_NEW_REASON_HISTORY_SIZE_TOO_LARGE');
  if ((wft.startedEventId ?? s.nextEventId) >= historyCountSuggestContinueAsNew) reasons.push('SUGGEST_CONTINUE_AS_NEW_REASON_TOO_MANY_HISTORY_EVENTS');
  return {
    scheduledEventId: wft.scheduledEventId,
    identity: wft.identity,
    requestId: wft.requestId,
    historySizeBytes: s.historySizeBytes,
    suggestContinueAsNew: reasons.length > 0 || undefined,
    suggestContinueAsNewReasons: reasons.length ? reasons : undefined,
  };
}

export interface StartedTask {
  events: Buffer[];
  messages: Msg[];
  wft: WorkflowTaskState;
}

/** Hands the task to a poller: records it as started and builds the poll response. */
export async function startWorkflowTask(
  engine: Engine,
  exec: Execution,
  task: Extract<Task, { kind: 'workflow' }>,
  identity: string,
  fromSticky: boolean,
): Promise<Buffer | null> {
  const started = await engine.mutate(exec, (m) => beginWorkflowTask(m, task.nonce, identity, fromSticky), { deferWrite: true });
  return started && pollResponse(engine, exec, started);
}

/**
 * Starts the workflow task this change just offered, in the same write, for the worker at hand
 * instead of leaving it to matching: an eager start's first task, or the next task a completing
 * worker asked for (events arrived while it worked). Null when there is no such task.
 */
export function startOfferedWorkflowTask(m: Mutation, identity: string): StartedTask | null {
  const wft = m.state.wft;
  const offered = m.tasks.findIndex(({ task }) => task.kind === 'workflow' && task.nonce === wft?.nonce);
  if (!wft || offered < 0) return null;
  const started = beginWorkflowTask(m, wft.nonce, identity, wft.stickyUntil !== undefined);
  if (started) m.tasks.splice(offered, 1);
  return started;
}

/** Records the task as started in this change; null when it went stale meanwhile. */
function beginWorkflowTask(m: Mutation, nonce: number, identity: string, fromSticky: boolean): StartedTask | null {
  const s = m.state;
  const wft = s.wft;
  if (!m.exec.isOpen || !wft || wft.nonce !== nonce || wft.startedEventId !== undefined || wft.notBefore) {
    m.persist = false;
    return null;
  }
  if (fromSticky !== (wft.stickyUntil !== undefined)) {
    m.persist = false; // moved to the other queue meanwhile
    return null;
  }
  wft.stickyUntil = undefined;
  wft.identity = identity;
  wft.requestId = randomUUID();
  wft.startedTime = m.now;
  const transient: Buffer[] = [];
  if (wft.transient) {
    wft.scheduledEventId = s.nextEventId;
    wft.startedEventId = s.nextEventId + 1;
    transient.push(
      encodeEvent(wft.scheduledEventId, 'WORKFLOW_TASK_SCHEDULED', scheduledAttributes(s, wft), wft.scheduledTime, m.engine.nextTaskId()),
      encodeEvent(wft.startedEventId, 'WORKFLOW_TASK_STARTED', startedAttributes(m, wft), wft.startedTime, m.engine.nextTaskId()),
    );
  } else {
    wft.startedEventId = m.append('WORKFLOW_TASK_STARTED', startedAttributes(m, wft));
  }
  const messages = takeUpdatesForTask(m, wft);
  // A sticky worker has the run cached up to the last task it completed: it gets what follows.
  const known = fromSticky ? s.previousStartedEventId : 0;
  return { events: [...m.exec.history!.slice(known), ...transient], messages, wft: { ...wft } };
}

/** The PollWorkflowTaskQueueResponse for a started task (also an eager start's). */
export function pollResponse(engine: Engine, exec: Execution, { events, messages, wft }: StartedTask): Buffer {
  const s = exec.state;
  const startedTime = startStamp(wft);
  return encodeWithHistory(
    POLL_RESPONSE,
    {
      taskToken: encodeToken({
        namespaceId: engine.requireNamespace(s.namespace).id,
        workflowId: s.workflowId,
        runId: s.runId,
        workflowType: s.workflowType,
        scheduledEventId: wft.scheduledEventId,
        attempt: wft.attempt,
        startedEventId: wft.startedEventId,
        startedTime,
      }),
      workflowExecution: { workflowId: s.workflowId, runId: s.runId },
      workflowType: { name: s.workflowType },
      previousStartedEventId: s.previousStartedEventId,
      startedEventId: wft.startedEventId,
      attempt: wft.attempt,
      workflowExecutionTaskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      scheduledTime: timestamp(wft.scheduledTime),
      startedTime,
      messages,
    },
    POLL_RESPONSE_HISTORY_FIELD,
    events,
  );
}

/**
 * When the task started, as its token names it. Like the real server, a token names its start
 * by time; the sub-millisecond part, from the start's request id, tells apart two hand-outs of
 * one task in the same millisecond (one lost to a failed write, see Engine.mutate).
 */
function startStamp(wft: WorkflowTaskState): Msg {
  const { seconds, nanos } = timestamp(wft.startedTime!);
  return { seconds, nanos: nanos + (parseInt(wft.requestId!.slice(0, 5), 16) % 1_000_000) };
}

function requireStartedTask(exec: Execution, token: TaskToken): WorkflowTaskState {
  const wft = exec.state.wft;
  const stamp = wft?.startedEventId !== undefined ? startStamp(wft) : undefined;
  if (
    !exec.isOpen ||
    !wft ||
    !stamp ||
    token.scheduledEventId !== wft.scheduledEventId ||
    token.startedEventId !== wft.startedEventId ||
    token.attempt !== wft.attempt ||
    Number(token.startedTime?.seconds) !== stamp.seconds ||
    Number(token.startedTime?.nanos) !== stamp.nanos
  ) {
    throw notFound('Workflow task not found.');
  }
  return wft;
}

/** Writes a transient task's Scheduled/Started events, now that it counts. */
function materialize(m: Mutation, wft: WorkflowTaskState): void {
  if (!wft.transient) return;
  const s = m.state;
  m.append('WORKFLOW_TASK_SCHEDULED', scheduledAttributes(s, wft), wft.scheduledTime);
  m.append('WORKFLOW_TASK_STARTED', startedAttributes(m, wft), wft.startedTime);
  wft.transient = false;
}

export interface CompletionResponse {
  activityTasks: Msg[];
  resetHistoryEventId?: number;
  /** The next task, started for this worker (it asked with returnNewWorkflowTask). */
  workflowTask?: StartedTask;
  /** The completion was refused (the task is failed and retried): the worker is answered with this error. */
  rejection?: RpcError;
}

/**
 * Applies a completion. Returns the RespondWorkflowTaskCompleted response: after a dropped
 * speculative task it tells the worker to roll its cached state back to the last real event.
 */
export function completeWorkflowTask(m: Mutation, task: TaskToken, req: Msg): CompletionResponse {
  const s = m.state;
  const wft = requireStartedTask(m.exec, task);
  const commands: Msg[] = req.commands ?? [];
  const messages: Msg[] = req.messages ?? [];
  const onlyRejections = commands.length === 0 && messages.every(isRejection);
  if (wft.transient && wft.attempt === 1 && onlyRejections && !s.buffered.length) {
    // A speculative task that only rejected updates: it never happened, history-wise.
    s.wft = null;
    applyCommands(m, [], messages, 0);
    returnUndeliveredUpdates(s, wft);
    if (hasUndeliveredUpdates(s)) scheduleWorkflowTask(m, { transient: true });
    return { activityTasks: [], resetHistoryEventId: s.nextEventId - 1 };
  }
  const badAttributes = badSearchAttributes(commands, m.engine, s.namespace);
  if (badAttributes) {
    // As the real server: the task fails, is retried (it fails again until the code changes
    // or the attribute is registered), and the worker hears why.
    const cause = 'WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES';
    failWorkflowTask(m, task, { cause, failure: { message: `BadSearchAttributes: ${badAttributes}` }, identity: req.identity });
    return { activityTasks: [], rejection: invalidArgument(`BadSearchAttributes: ${badAttributes}`) };
  }
  materialize(m, wft);
  const ids = { scheduledEventId: wft.scheduledEventId, startedEventId: wft.startedEventId };
  const oversized = oversizedPayload(commands, m.engine.limits.blobSizeError);
  if (oversized) {
    // As the real server: the task fails and, a payload being too large whatever the retry, the run is terminated.
    const message = `${oversized.cause}: ${oversized.message}`;
    m.append('WORKFLOW_TASK_FAILED', { ...ids, cause: oversized.cause, failure: { message, serverFailureInfo: { nonRetryable: true } }, identity: req.identity });
    s.wft = null;
    returnUndeliveredUpdates(s, wft);
    terminateInChange(m, { reason: message, identity: 'history-service' });
    return { activityTasks: [] };
  }
  if (s.buffered.length && commands.some(isCloseCommand)) {
    // The workflow would close without seeing what arrived meanwhile: fail the task so it does.
    m.append('WORKFLOW_TASK_FAILED', { ...ids, cause: 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND', identity: req.identity });
    endTask(m);
    scheduleWorkflowTask(m);
    return { activityTasks: [] };
  }
  const versioning = completionVersioning(req);
  const completedId = m.append('WORKFLOW_TASK_COMPLETED', {
    ...ids,
    identity: req.identity,
    binaryChecksum: req.binaryChecksum,
    sdkMetadata: req.sdkMetadata,
    meteringMetadata: req.meteringMetadata,
    versioningBehavior: versioning?.behavior,
    deploymentVersion: versioning && { deploymentName: versioning.deploymentName, buildId: versioning.buildId },
    workerDeploymentName: versioning?.deploymentName,
  });
  if (versioning) recordVersioning(m, versioning);
  s.previousStartedEventId = wft.startedEventId!;
  s.wft = null;
  const sticky = req.stickyAttributes?.workerTaskQueue?.name;
  s.sticky = sticky ? { queue: sticky, timeoutMs: ms(req.stickyAttributes.scheduleToStartTimeout) || 10_000 } : undefined;
  const hadBuffered = s.buffered.length > 0;
  const { needsWorkflowTask } = applyCommands(m, commands, messages, completedId, req.identity ?? '');
  const response: CompletionResponse = { activityTasks: m.eagerActivities };
  returnUndeliveredUpdates(s, wft);
  if (!m.exec.isOpen) return response;
  m.appendAll(s.buffered);
  s.buffered = [];
  if (hadBuffered || needsWorkflowTask || req.forceCreateNewWorkflowTask) scheduleWorkflowTask(m);
  else if (hasUndeliveredUpdates(s)) scheduleWorkflowTask(m, { transient: true });
  if (req.returnNewWorkflowTask) response.workflowTask = startOfferedWorkflowTask(m, req.identity ?? '') ?? undefined;
  return response;
}

/** The run is now on this version (pinned to it, or following the current one), and its BuildIds say so. */
function recordVersioning(m: Mutation, versioning: RunVersioning): void {
  const s = m.state;
  s.versioning = versioning;
  const buildIds = buildIdsAttribute(s.searchAttributes?.indexedFields?.BuildIds, versioning);
  if (buildIds) s.searchAttributes = { indexedFields: { ...s.searchAttributes?.indexedFields, BuildIds: buildIds } };
}

export function failWorkflowTask(m: Mutation, task: TaskToken, req: Msg): void {
  const wft = requireStartedTask(m.exec, task);
  // A speculative task (one carrying only updates) that fails is written, as on the real
  // server: the failure shows in history. Only retries of a failed task stay out of it.
  if (wft.attempt === 1) materialize(m, wft);
  abortSentUpdates(m.state, wft);
  if (!wft.transient) {
    m.append('WORKFLOW_TASK_FAILED', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      cause: req.cause,
      failure: req.failure,
      identity: req.identity,
      binaryChecksum: req.binaryChecksum,
    });
  }
  retry(m, wft);
}

/** The worker took longer than the workflow task timeout. */
export function timeOutWorkflowTask(m: Mutation): void {
  const wft = m.state.wft!;
  if (!wft.transient) {
    m.append('WORKFLOW_TASK_TIMED_OUT', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE',
    });
  }
  retry(m, wft);
}

function endTask(m: Mutation): void {
  const s = m.state;
  const wft = s.wft!;
  s.wft = null;
  returnUndeliveredUpdates(s, wft);
  m.appendAll(s.buffered);
  s.buffered = [];
}

/** Next attempt: transient unless new events came in; backs off from the third attempt on. */
function retry(m: Mutation, wft: WorkflowTaskState): void {
  const hadBuffered = m.state.buffered.length > 0;
  m.state.sticky = undefined; // the retry replays from scratch on any worker
  endTask(m);
  const attempt = wft.attempt + 1;
  const backoff = attempt <= 2 ? 0 : Math.min(1000 * 2 ** (attempt - 3), 10_000);
  scheduleWorkflowTask(m, { transient: !hadBuffered, attempt, notBefore: m.now + backoff });
}
