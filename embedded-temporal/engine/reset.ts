/**
 * ResetWorkflowExecution, as the Temporal UI's reset button uses it: a new run of the workflow
 * whose history is the base run's up to a workflow task, that task failed with cause
 * RESET_WORKFLOW, then the base run's later signals reapplied and a new workflow task. The
 * run's state at that point is rebuilt from the copied events; a running base run is terminated.
 *
 * Not carried over (unlike the real server): updates, and the outcome of signals or cancels sent
 * to other workflows before the reset point; children started before it report to the base run.
 */
import { randomUUID } from 'node:crypto';
import { invalidArgument } from '../grpc/errors.ts';
import { decode, fromTimestamp, HISTORY_EVENT, ms, type Msg } from '../proto.ts';
import { offerAttempt } from './activities.ts';
import { mergeFields } from './commands.ts';
import type { Engine } from './engine.ts';
import { attributesKey, Execution } from './execution.ts';
import type { Mutation } from './mutation.ts';
import { nothingPending, RUNNING, type RunState } from './state.ts';
import { scheduleWorkflowTask } from './workflow-tasks.ts';
import { terminateRun } from './workflow-lifecycle.ts';

const TASK_FINISHED = new Set(['EVENT_TYPE_WORKFLOW_TASK_COMPLETED', 'EVENT_TYPE_WORKFLOW_TASK_FAILED', 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT']);
const ACTIVITY_CLOSED = new Set(['EVENT_TYPE_ACTIVITY_TASK_COMPLETED', 'EVENT_TYPE_ACTIVITY_TASK_FAILED', 'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT', 'EVENT_TYPE_ACTIVITY_TASK_CANCELED']);
const CHILD_CLOSED = new Set([
  'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED',
  'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED',
  'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED',
  'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED',
  'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT',
  'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED',
]);

interface Event {
  id: number;
  type: string;
  time: number;
  attrs: Msg;
}

export async function resetWorkflow(engine: Engine, req: Msg): Promise<Msg> {
  const base = await engine.find(req.namespace, req.workflowExecution?.workflowId ?? '', req.workflowExecution?.runId);
  const finishId = Number(req.workflowTaskFinishEventId ?? 0);
  const encoded = await engine.loadHistory(base);
  const events: Event[] = encoded.map((data) => {
    const e = decode(HISTORY_EVENT, data);
    return { id: Number(e.eventId), type: e.eventType, time: fromTimestamp(e.eventTime) ?? 0, attrs: e[attributesKey(e.eventType)] ?? {} };
  });
  const finish = events[finishId - 1];
  const started = events[finishId - 2];
  if (!finish || !TASK_FINISHED.has(finish.type) || started?.type !== 'EVENT_TYPE_WORKFLOW_TASK_STARTED') {
    throw invalidArgument('WorkflowTaskFinishEventId must name a workflow task completed, failed or timed out event.');
  }
  const reapplySignals = req.resetReapplyType !== 'RESET_REAPPLY_TYPE_NONE' && !(req.resetReapplyExcludeTypes ?? []).includes('RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL');
  const signals = reapplySignals ? events.slice(finishId).filter((e) => e.type === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED') : [];
  const kept = events.slice(0, finishId - 1);
  return engine.withWorkflowIdLock(base.state.namespace, base.state.workflowId, async () => {
    const current = await engine.findCurrent(base.state.namespace, base.state.workflowId);
    if (current?.isOpen) await terminateRun(engine, current, { reason: req.reason || 'resetting workflow', identity: req.identity });
    const exec = new Execution(rebuildState(engine, base.state, kept, finishId), []);
    await engine.create(exec, (m) => {
      copyEvents(m, encoded.slice(0, finishId - 1));
      m.append('WORKFLOW_TASK_FAILED', {
        scheduledEventId: started.attrs.scheduledEventId,
        startedEventId: started.id,
        cause: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW',
        failure: { message: req.reason ?? '', resetWorkflowFailureInfo: {} },
        identity: req.identity,
        baseRunId: base.runId,
        newRunId: exec.runId,
      });
      m.appendAll(signals.map((e) => ({ eventType: e.type, attrs: e.attrs })));
      for (const a of Object.values(m.state.activities)) offerAttempt(m, a);
      scheduleWorkflowTask(m);
    });
    return { runId: exec.runId };
  });
}

/** The base run's history up to the reset point, as the new run's first events. */
function copyEvents(m: Mutation, events: Buffer[]): void {
  for (const [i, data] of events.entries()) {
    m.exec.history!.push(data);
    m.events.push({ runId: m.state.runId, eventId: i + 1, data });
    m.state.historySizeBytes += data.length;
  }
}

/** The new run's state after `events`: what is pending at the reset point. */
function rebuildState(engine: Engine, b: RunState, events: Event[], nextEventId: number): RunState {
  const now = engine.clock.now();
  const first = events[0].attrs;
  const s: RunState = {
    ...b,
    runId: randomUUID(),
    status: RUNNING,
    startTime: now,
    closeTime: undefined,
    nextEventId,
    ...nothingPending(),
    memo: first.memo,
    searchAttributes: first.searchAttributes,
    newRunId: undefined,
    sticky: undefined,
    historySizeBytes: 0,
    stateTransitions: 0,
  };
  for (const e of events) {
    const a = e.attrs;
    if (e.type === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') s.previousStartedEventId = Number(a.startedEventId);
    else if (e.type === 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED') s.cancelRequested = true;
    else if (e.type === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') {
      s.activities[e.id] = { scheduledEventId: e.id, activityId: a.activityId, attrs: a, scheduledTime: e.time, attempt: 1, attemptScheduledTime: now, phase: 'scheduled' };
    } else if (e.type === 'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED') {
      const activity = s.activities[a.scheduledEventId];
      if (activity) activity.cancelRequestedEventId = e.id;
    } else if (ACTIVITY_CLOSED.has(e.type)) delete s.activities[a.scheduledEventId];
    else if (e.type === 'EVENT_TYPE_TIMER_STARTED') s.timers[a.timerId] = { timerId: a.timerId, startedEventId: e.id, fireAt: e.time + ms(a.startToFireTimeout) };
    else if (e.type === 'EVENT_TYPE_TIMER_FIRED' || e.type === 'EVENT_TYPE_TIMER_CANCELED') delete s.timers[a.timerId];
    else if (e.type === 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED') {
      s.children[e.id] = { initiatedEventId: e.id, namespace: a.namespace, workflowId: a.workflowId, workflowType: a.workflowType?.name, parentClosePolicy: a.parentClosePolicy, command: a };
      s.outbox.push({ kind: 'startChild', initiatedEventId: e.id });
    } else if (e.type === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED') {
      const child = s.children[a.initiatedEventId];
      if (child) Object.assign(child, { runId: a.workflowExecution?.runId, startedEventId: e.id, command: undefined });
      s.outbox = s.outbox.filter((t) => t.kind !== 'startChild' || t.initiatedEventId !== a.initiatedEventId);
    } else if (CHILD_CLOSED.has(e.type)) {
      delete s.children[a.initiatedEventId];
      s.outbox = s.outbox.filter((t) => t.kind !== 'startChild' || t.initiatedEventId !== a.initiatedEventId);
    } else if (e.type === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') s.searchAttributes = mergeFields(s.searchAttributes, a.searchAttributes, 'indexedFields');
    else if (e.type === 'EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED') s.memo = mergeFields(s.memo, a.upsertedMemo, 'fields');
  }
  return s;
}
