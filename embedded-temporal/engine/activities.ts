/**
 * Activities: scheduling with the server's defaults, dispatch to pollers, results, heartbeats,
 * the four timeouts and server-side retries. Like the real server, ActivityTaskStarted is
 * written only when the activity's final outcome is known, so retries leave no events.
 */
import { randomUUID } from 'node:crypto';
import { invalidArgument, notFound } from '../grpc/errors.ts';
import { duration, ms, timestamp, type Msg } from '../proto.ts';
import type { Execution } from './execution.ts';
import type { Task } from './matching.ts';
import type { Mutation } from './mutation.ts';
import { payloadsSize } from './dynamic-config.ts';
import { decideRetry, withRetryDefaults } from './retry.ts';
import type { ActivityState, BufferedEvent, RunState } from './state.ts';
import { closeStandaloneActivity } from './standalone-activities.ts';
import { encodeToken } from './task-token.ts';
import { addExternalEvents } from './workflow-tasks.ts';

function activityQueue(m: Mutation, a: ActivityState): string {
  return m.engine.deployments.route(m.state.namespace, 'activity', a.attrs.taskQueue.name, m.state.versioning);
}

export function offerAttempt(m: Mutation, a: ActivityState): void {
  m.offer(activityQueue(m, a), { kind: 'activity', runId: m.state.runId, scheduledEventId: a.scheduledEventId, attempt: a.attempt });
}


/** At most this many activities go back with one workflow task completion. */
const MAX_EAGER_ACTIVITIES = 3;

/**
 * ScheduleActivityTask. When the worker asks for eager execution and the activity is for its
 * own task queue, the attempt starts at once and goes back in the completion's response:
 * no poll, no extra write.
 */
export function scheduleActivity(m: Mutation, c: Msg, completedId: number, worker?: string, userMetadata?: Msg): void {
  const s = m.state;
  if (!c.activityId || !c.activityType?.name) throw invalidArgument('ActivityId and ActivityType are required.');
  if (Object.values(s.activities).some((a) => a.activityId === c.activityId)) {
    throw invalidArgument(`Activity with id ${c.activityId} is already pending.`);
  }
  let scheduleToClose = ms(c.scheduleToCloseTimeout);
  let scheduleToStart = ms(c.scheduleToStartTimeout);
  let startToClose = ms(c.startToCloseTimeout);
  if (scheduleToClose > 0) {
    scheduleToStart = Math.min(scheduleToStart || scheduleToClose, scheduleToClose);
    startToClose = Math.min(startToClose || scheduleToClose, scheduleToClose);
  } else if (startToClose > 0) {
    scheduleToClose = s.runTimeoutMs;
  } else {
    throw invalidArgument('A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.');
  }
  const heartbeat = Math.min(ms(c.heartbeatTimeout), startToClose);
  const attrs: Msg = {
    activityId: c.activityId,
    activityType: c.activityType,
    taskQueue: c.taskQueue?.name ? { name: c.taskQueue.name, kind: 'TASK_QUEUE_KIND_NORMAL' } : { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
    header: c.header,
    input: c.input,
    scheduleToCloseTimeout: duration(scheduleToClose),
    scheduleToStartTimeout: duration(scheduleToStart),
    startToCloseTimeout: duration(startToClose),
    heartbeatTimeout: duration(heartbeat),
    workflowTaskCompletedEventId: completedId,
    retryPolicy: withRetryDefaults(c.retryPolicy),
    priority: c.priority,
  };
  const id = m.append('ACTIVITY_TASK_SCHEDULED', attrs, m.now, userMetadata);
  const a: ActivityState = {
    scheduledEventId: id,
    activityId: c.activityId,
    attrs,
    scheduledTime: m.now,
    attempt: 1,
    attemptScheduledTime: m.now,
    phase: 'scheduled',
  };
  s.activities[id] = a;
  if (worker !== undefined && c.requestEagerExecution && attrs.taskQueue.name === s.taskQueue && m.eagerActivities.length < MAX_EAGER_ACTIVITIES) {
    m.eagerActivities.push(startActivityTask(m, { kind: 'activity', runId: s.runId, scheduledEventId: id, attempt: 1 }, worker)!);
  } else {
    offerAttempt(m, a);
  }
}

/** RequestCancelActivityTask: an activity not running yet is canceled at once (returns true: the workflow must hear of it). */
export function cancelActivity(m: Mutation, scheduledEventId: number, completedId: number): boolean {
  const a = m.state.activities[scheduledEventId];
  if (!a) return false;
  const requestedId = m.append('ACTIVITY_TASK_CANCEL_REQUESTED', { scheduledEventId, workflowTaskCompletedEventId: completedId });
  if (a.phase === 'started') {
    a.cancelRequestedEventId = requestedId;
    return false;
  }
  delete m.state.activities[scheduledEventId];
  m.append('ACTIVITY_TASK_CANCELED', { latestCancelRequestedEventId: requestedId, scheduledEventId, startedEventId: 0 });
  return true;
}

export function startActivityTask(m: Mutation, task: Extract<Task, { kind: 'activity' }>, identity: string): Msg | null {
  const s = m.state;
  const a = s.activities[task.scheduledEventId];
  if (!m.exec.isOpen || !a || a.phase !== 'scheduled' || a.attempt !== task.attempt || a.paused) {
    if (!m.events.length) m.persist = false;
    return null;
  }
  a.phase = 'started';
  a.startedTime = m.now;
  a.identity = identity;
  a.lastWorkerIdentity = identity;
  a.requestId = randomUUID();
  a.lastHeartbeatTime = undefined;
  const response: Msg = {
    taskToken: encodeToken({
      namespaceId: m.engine.requireNamespace(s.namespace).id,
      workflowId: s.workflowId,
      runId: s.runId,
      workflowType: s.workflowType,
      scheduledEventId: a.scheduledEventId,
      attempt: a.attempt,
      activityId: a.activityId,
      activityType: a.attrs.activityType?.name,
    }),
    workflowNamespace: s.namespace,
    workflowType: { name: s.workflowType },
    workflowExecution: { workflowId: s.workflowId, runId: s.runId },
    activityType: a.attrs.activityType,
    activityId: a.activityId,
    header: a.attrs.header,
    input: a.attrs.input,
    heartbeatDetails: a.heartbeatDetails,
    scheduledTime: timestamp(a.scheduledTime),
    currentAttemptScheduledTime: timestamp(a.attemptScheduledTime),
    startedTime: timestamp(m.now),
    attempt: a.attempt,
    scheduleToCloseTimeout: a.attrs.scheduleToCloseTimeout,
    startToCloseTimeout: a.attrs.startToCloseTimeout,
    heartbeatTimeout: a.attrs.heartbeatTimeout,
    retryPolicy: a.attrs.retryPolicy,
    priority: a.attrs.priority,
  };
  // A standalone activity's task names no workflow, and its run by activityRunId, as the real server's.
  return s.standaloneActivity ? { ...response, workflowType: undefined, workflowExecution: undefined, activityRunId: s.runId } : response;
}

/** The running attempt an answer refers to: by task token (attempt) or by activity id. */
export function runningActivity(exec: Execution, ref: { scheduledEventId?: number; attempt?: number; activityId?: string }): ActivityState {
  const s = exec.state;
  const a = ref.activityId !== undefined
    ? Object.values(s.activities).find((x) => x.activityId === ref.activityId)
    : s.activities[ref.scheduledEventId ?? -1];
  if (!exec.isOpen || !a || a.phase !== 'started' || (ref.attempt !== undefined && a.attempt !== ref.attempt)) {
    throw notFound('Activity task not found.');
  }
  return a;
}

/** The activity's last word: ActivityTaskStarted plus its outcome, delivered to the workflow (or closing a standalone activity). */
function finish(m: Mutation, a: ActivityState, eventType: string, attrs: Msg): void {
  delete m.state.activities[a.scheduledEventId];
  const outcome = { eventType, attrs: { ...attrs, scheduledEventId: a.scheduledEventId } };
  const events: BufferedEvent[] = a.phase !== 'started'
    ? [{ ...outcome, attrs: { ...outcome.attrs, startedEventId: 0 } }]
    : [
        {
          eventType: 'ACTIVITY_TASK_STARTED',
          attrs: { scheduledEventId: a.scheduledEventId, identity: a.identity, requestId: a.requestId, attempt: a.attempt, lastFailure: a.lastFailure },
        },
        { ...outcome, previousIdAttr: 'startedEventId' },
      ];
  if (m.state.standaloneActivity) closeStandaloneActivity(m, a, events);
  else addExternalEvents(m, events);
}

export function completeActivity(m: Mutation, a: ActivityState, req: Msg): void {
  if (payloadsSize(req.result) > m.engine.limits.blobSizeError) {
    // As the real frontend: a result too large to keep is recorded as the activity's failure.
    failActivity(m, a, { failure: { message: 'Complete result exceeds size limit.', serverFailureInfo: { nonRetryable: true } }, identity: req.identity });
    return;
  }
  finish(m, a, 'ACTIVITY_TASK_COMPLETED', { result: req.result, identity: req.identity });
}

export function cancelCompletedActivity(m: Mutation, a: ActivityState, req: Msg): void {
  finish(m, a, 'ACTIVITY_TASK_CANCELED', { details: req.details, identity: req.identity, latestCancelRequestedEventId: a.cancelRequestedEventId ?? 0 });
}

export function failActivity(m: Mutation, a: ActivityState, req: Msg): void {
  if (req.lastHeartbeatDetails) a.heartbeatDetails = req.lastHeartbeatDetails;
  attemptFailed(m, a, req.failure, (retryState) =>
    finish(m, a, 'ACTIVITY_TASK_FAILED', { failure: req.failure, identity: req.identity, retryState }),
  );
}

export function heartbeat(m: Mutation, a: ActivityState, details: Msg | undefined): Msg {
  m.persist = false; // heartbeats only move a deadline; they ride along with the next write
  a.lastHeartbeatTime = m.now;
  if (details) a.heartbeatDetails = details;
  return { cancelRequested: a.cancelRequestedEventId !== undefined, activityPaused: !!a.paused, activityReset: !!a.resetPending };
}

/** Retries the activity after its backoff, or calls `final` with the retry state. */
function attemptFailed(m: Mutation, a: ActivityState, failure: Msg | undefined, final: (retryState: string) => void): void {
  const scheduleToClose = ms(a.attrs.scheduleToCloseTimeout);
  const decision = decideRetry(a.attrs.retryPolicy, a.attempt, failure, m.now, scheduleToClose ? a.scheduledTime + scheduleToClose : undefined);
  if (!decision.retry || a.cancelRequestedEventId !== undefined) {
    final(decision.retry ? 'RETRY_STATE_CANCEL_REQUESTED' : decision.retryState);
    return;
  }
  a.lastFailure = failure;
  a.attempt = a.resetPending ? 1 : a.attempt + 1;
  a.resetPending = undefined;
  a.phase = 'backoff';
  a.retryAt = m.now + decision.delayMs;
  a.startedTime = undefined;
  a.identity = undefined;
}

function timeoutFailure(a: ActivityState, timeoutType: string): Msg {
  const kind = { TIMEOUT_TYPE_START_TO_CLOSE: 'StartToClose', TIMEOUT_TYPE_SCHEDULE_TO_START: 'ScheduleToStart', TIMEOUT_TYPE_SCHEDULE_TO_CLOSE: 'ScheduleToClose', TIMEOUT_TYPE_HEARTBEAT: 'Heartbeat' }[timeoutType];
  return {
    message: `activity ${kind} timeout`,
    source: 'Server',
    timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: a.heartbeatDetails },
  };
}

function timeOut(m: Mutation, a: ActivityState, timeoutType: string): void {
  const failure = timeoutFailure(a, timeoutType);
  const final = (retryState: string) => finish(m, a, 'ACTIVITY_TASK_TIMED_OUT', { failure, retryState });
  if (timeoutType === 'TIMEOUT_TYPE_START_TO_CLOSE' || timeoutType === 'TIMEOUT_TYPE_HEARTBEAT') attemptFailed(m, a, failure, final);
  else final(timeoutType === 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE' ? 'RETRY_STATE_TIMEOUT' : 'RETRY_STATE_NON_RETRYABLE_FAILURE');
}

/** The activity's deadlines, by timeout type (or 'retry' for the end of a backoff). */
function deadlines(a: ActivityState): [string, number][] {
  const out: [string, number][] = [];
  const scheduleToClose = ms(a.attrs.scheduleToCloseTimeout);
  if (scheduleToClose) out.push(['TIMEOUT_TYPE_SCHEDULE_TO_CLOSE', a.scheduledTime + scheduleToClose]);
  if (a.phase === 'scheduled') {
    const scheduleToStart = a.paused ? 0 : ms(a.attrs.scheduleToStartTimeout);
    if (scheduleToStart && scheduleToStart < scheduleToClose) out.push(['TIMEOUT_TYPE_SCHEDULE_TO_START', a.attemptScheduledTime + scheduleToStart]);
  } else if (a.phase === 'started') {
    out.push(['TIMEOUT_TYPE_START_TO_CLOSE', a.startedTime! + ms(a.attrs.startToCloseTimeout)]);
    const hb = ms(a.attrs.heartbeatTimeout);
    if (hb) out.push(['TIMEOUT_TYPE_HEARTBEAT', (a.lastHeartbeatTime ?? a.startedTime!) + hb]);
  } else {
    out.push(['retry', a.retryAt!]);
  }
  return out;
}

export function nextActivityDeadline(a: ActivityState): number {
  return Math.min(...deadlines(a).map(([, at]) => at));
}

export function handleActivityDeadlines(m: Mutation): void {
  for (const a of Object.values(m.state.activities)) {
    const due = deadlines(a).filter(([, at]) => at <= m.now).sort((x, y) => x[1] - y[1])[0];
    if (!due) continue;
    if (due[0] === 'retry') {
      a.phase = 'scheduled';
      a.attemptScheduledTime = m.now;
      a.retryAt = undefined;
      if (!a.paused) offerAttempt(m, a); // a paused one waits, scheduled, for its unpause
    } else {
      timeOut(m, a, due[0]);
    }
  }
}
