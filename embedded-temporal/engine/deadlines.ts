/**
 * Everything time-driven in a run: user timers, activity timeouts and retry backoffs, workflow
 * task timeouts and delays, run and execution timeouts. The engine keeps one entry per run in
 * the timer queue, at the earliest of these deadlines, and calls handleDeadlines when it is due.
 */
import { handleActivityDeadlines, nextActivityDeadline } from './activities.ts';
import type { Mutation } from './mutation.ts';
import { handleNexusDeadlines, hasWaitingNexusTask, nexusDeadlines } from './nexus.ts';
import { RUNNING, type RunState } from './state.ts';
import { addExternalEvents, releaseDelayedWorkflowTask, timeOutWorkflowTask, unstickWorkflowTask } from './workflow-tasks.ts';
import { timeOutRun } from './workflow-lifecycle.ts';

export function nextDeadline(s: RunState): number | undefined {
  if (s.status !== RUNNING) return undefined;
  const candidates: number[] = [];
  for (const t of Object.values(s.timers)) candidates.push(t.fireAt);
  for (const a of Object.values(s.activities)) candidates.push(nextActivityDeadline(a));
  candidates.push(...nexusDeadlines(s));
  if (s.wft?.notBefore) candidates.push(s.wft.notBefore);
  if (s.wft?.stickyUntil) candidates.push(s.wft.stickyUntil);
  if (s.wft?.startedTime !== undefined) candidates.push(s.wft.startedTime + s.workflowTaskTimeoutMs);
  if (s.runExpiresAt) candidates.push(s.runExpiresAt);
  if (s.executionExpiresAt) candidates.push(s.executionExpiresAt);
  return candidates.length ? Math.min(...candidates) : undefined;
}

/** Whether the run has a task waiting for, or held by, a worker that time skipping must wait for. */
export function isBusy(s: RunState): boolean {
  if (s.status !== RUNNING) return false;
  if (s.wft && !s.wft.notBefore) return true;
  return Object.values(s.activities).some((a) => a.phase === 'scheduled') || hasWaitingNexusTask(s);
}

/**
 * Whether the run has work in flight that only memory tracks: a task for a worker, an activity
 * a worker runs, effects on other runs still to perform. A run without any is evictable, and
 * after a restart its next deadline is all that is read of it.
 */
export function hasWorkInFlight(s: RunState): boolean {
  return isBusy(s) || runningActivityCount(s) > 0 || s.outbox.length > 0;
}

/**
 * How many of the run's activities a worker is running now. Each holds the time-skipping clock,
 * as the SDK's test server locks its timer while an activity is out (see time-skipping.ts).
 */
export function runningActivityCount(s: RunState): number {
  if (s.status !== RUNNING) return 0;
  return Object.values(s.activities).filter((a) => a.phase === 'started').length;
}

export function handleDeadlines(m: Mutation): void {
  const s = m.state;
  if (s.status !== RUNNING) {
    m.persist = false;
    return;
  }
  if ((s.runExpiresAt && s.runExpiresAt <= m.now) || (s.executionExpiresAt && s.executionExpiresAt <= m.now)) {
    timeOutRun(m);
    return;
  }
  const due = Object.values(s.timers).filter((t) => t.fireAt <= m.now).sort((a, b) => a.fireAt - b.fireAt);
  for (const t of due) {
    delete s.timers[t.timerId];
    addExternalEvents(m, [{ eventType: 'TIMER_FIRED', attrs: { timerId: t.timerId, startedEventId: t.startedEventId } }]);
  }
  handleActivityDeadlines(m);
  handleNexusDeadlines(m);
  const wft = s.wft;
  if (wft?.startedTime !== undefined && wft.startedTime + s.workflowTaskTimeoutMs <= m.now) timeOutWorkflowTask(m);
  else if (wft?.notBefore && wft.notBefore <= m.now) releaseDelayedWorkflowTask(m);
  else if (wft?.stickyUntil && wft.stickyUntil <= m.now) unstickWorkflowTask(m);
}
