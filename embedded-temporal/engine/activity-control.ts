/**
 * Operator control of a run's pending activities, as the Temporal UI's buttons use it: pause,
 * unpause, reset (attempts back to 1) and changing an activity's options. Like the real server,
 * none of these writes history: they change the activity's state and when it is dispatched.
 */
import { notFound, failedPrecondition } from '../grpc/errors.ts';
import { duration, ms, type Msg } from '../proto.ts';
import type { Mutation } from './mutation.ts';
import type { ActivityState } from './state.ts';

/** The activities a request names: by id, by type, or all of them. */
function selected(m: Mutation, req: Msg, all: boolean): ActivityState[] {
  const found = Object.values(m.state.activities).filter(
    (a) => all || (req.id ? a.activityId === req.id : req.type ? a.attrs.activityType?.name === req.type : false),
  );
  if (!found.length) throw notFound("Can't find pending activity with such ID. Invalid activityID or activity already completed");
  return found;
}

/** Dispatches the activity's next attempt after `jitter` (at once without one), through the retry deadline. */
function dispatchSoon(m: Mutation, a: ActivityState, jitter: Msg | undefined): void {
  if (a.phase === 'started') return;
  a.phase = 'backoff';
  a.retryAt = m.now + Math.floor(Math.random() * ms(jitter));
}

export function pauseActivities(m: Mutation, req: Msg): void {
  for (const a of selected(m, req, false)) {
    if (a.paused) {
      if (req.requestId && a.paused.requestId === req.requestId) continue;
      throw failedPrecondition('activity is already paused');
    }
    a.paused = { time: m.now, identity: req.identity, reason: req.reason, requestId: req.requestId };
  }
}

export function unpauseActivities(m: Mutation, req: Msg): void {
  for (const a of selected(m, req, !!req.unpauseAll)) {
    if (!a.paused) continue;
    a.paused = undefined;
    if (req.resetAttempts) a.attempt = 1;
    if (req.resetHeartbeat) a.heartbeatDetails = undefined;
    dispatchSoon(m, a, req.jitter);
  }
}

export function resetActivities(m: Mutation, req: Msg): void {
  for (const a of selected(m, req, !!req.matchAll)) {
    if (req.restoreOriginalOptions && a.originalAttrs) a.attrs = a.originalAttrs;
    if (req.resetHeartbeat) a.heartbeatDetails = undefined;
    if (a.paused && !req.keepPaused) a.paused = undefined;
    // A running attempt finishes; the retries after it count from 1 again.
    if (a.phase === 'started') {
      a.resetPending = true;
      continue;
    }
    a.attempt = 1;
    if (!a.paused) dispatchSoon(m, a, req.jitter);
  }
}

/** UpdateActivityOptions: the fields named by the mask (snake_case or camelCase paths), from `activityOptions`. */
export function updateActivityOptions(m: Mutation, req: Msg): Msg {
  const targets = selected(m, req, !!req.matchAll);
  for (const a of targets) {
    a.originalAttrs ??= a.attrs;
    if (req.restoreOriginal) {
      a.attrs = a.originalAttrs;
      continue;
    }
    const attrs: Msg = { ...a.attrs, retryPolicy: { ...a.attrs.retryPolicy } };
    const given: Msg = req.activityOptions ?? {};
    for (const path of req.updateMask?.paths ?? []) {
      const key = String(path).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      if (key === 'taskQueueName' || key === 'taskQueue') attrs.taskQueue = { name: given.taskQueue?.name, kind: 'TASK_QUEUE_KIND_NORMAL' };
      else if (key.startsWith('retryPolicy.')) attrs.retryPolicy[key.slice('retryPolicy.'.length)] = given.retryPolicy?.[key.slice('retryPolicy.'.length)];
      else if (key === 'retryPolicy') attrs.retryPolicy = given.retryPolicy;
      else if (['scheduleToCloseTimeout', 'scheduleToStartTimeout', 'startToCloseTimeout', 'heartbeatTimeout', 'priority'].includes(key)) attrs[key] = given[key] ?? duration(0);
      else throw failedPrecondition(`UpdateActivityOptions: unsupported field in update mask: ${path}`);
    }
    a.attrs = attrs;
  }
  return { activityOptions: activityOptions(targets[0]) };
}

export function activityOptions(a: ActivityState): Msg {
  const { taskQueue, scheduleToCloseTimeout, scheduleToStartTimeout, startToCloseTimeout, heartbeatTimeout, retryPolicy, priority } = a.attrs;
  return { taskQueue, scheduleToCloseTimeout, scheduleToStartTimeout, startToCloseTimeout, heartbeatTimeout, retryPolicy, priority };
}
