/**
 * Workflow updates. An update is admitted (kept in the run's state, not in history), delivered
 * as a protocol message with the next workflow task (a speculative one if none is due), and
 * then accepted (UpdateAccepted event) and completed (UpdateCompleted event), or rejected by
 * the validator (no event at all). Callers wait for the stage they asked for.
 */
import { failedPrecondition, invalidArgument, notFound, resourceExhausted, workflowCompleted, workflowNotReady } from '../grpc/errors.ts';
import { packAny, unpackAny, type Msg } from '../proto.ts';
import type { CallContext } from '../grpc/service.ts';
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import type { Mutation } from './mutation.ts';
import type { RunState, UpdateState, WorkflowTaskState } from './state.ts';
import { releaseDelayedWorkflowTask, scheduleWorkflowTask } from './workflow-tasks.ts';

const STAGES = [
  'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED',
  'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED',
  'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED',
  'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED',
];

/** The real server's defaults (history.maxInFlightUpdates, history.maxTotalUpdates). */
const MAX_IN_FLIGHT_UPDATES = 10;
const MAX_TOTAL_UPDATES = 2000;

/** Longest a call waits for a stage before answering with the stage reached so far. */
const MAX_WAIT_MS = 20_000;

/**
 * The outcome the real server gives an accepted update whose workflow closed before the update
 * completed: a client that saw it accepted expects a result or a failure, not an error.
 */
const ACCEPTED_UPDATE_COMPLETED_WORKFLOW: Msg = {
  failure: {
    message: 'Workflow Update failed because the Workflow completed before the Update completed.',
    source: 'Server',
    applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
  },
};

function stageOf(u: UpdateState): number {
  return u.phase === 'completed' ? 3 : u.phase === 'accepted' ? 2 : 1;
}

export function hasUndeliveredUpdates(s: RunState): boolean {
  return Object.values(s.updates).some((u) => u.phase === 'admitted');
}

/** Protocol messages for the updates the task carries to the worker. */
export function takeUpdatesForTask(m: Mutation, wft: WorkflowTaskState): Msg[] {
  const messages: Msg[] = [];
  for (const u of Object.values(m.state.updates)) {
    if (u.phase !== 'admitted') continue;
    u.phase = 'sent';
    wft.updateIds.push(u.updateId);
    messages.push({
      id: `${u.updateId}/request`,
      protocolInstanceId: u.updateId,
      eventId: wft.startedEventId! - 1,
      body: packAny('temporal.api.update.v1.Request', u.request),
    });
  }
  return messages;
}

/**
 * The task carrying these updates failed: as on the real server, updates the workflow has seen
 * are not sent again, their callers get an error.
 */
export function abortSentUpdates(s: RunState, wft: WorkflowTaskState): void {
  for (const id of wft.updateIds) if (s.updates[id]?.phase === 'sent') s.updates[id].phase = 'aborted';
}

/** Updates the worker did not answer go back to be delivered again. */
export function returnUndeliveredUpdates(s: RunState, wft: WorkflowTaskState): void {
  for (const id of wft.updateIds) if (s.updates[id]?.phase === 'sent') s.updates[id].phase = 'admitted';
}

/**
 * The run closes: accepted updates fail with the server's failure; updates not yet accepted are
 * dropped (their callers hear of it in waitForStage).
 */
export function abortUpdates(s: RunState): void {
  for (const u of Object.values(s.updates)) {
    if (u.phase === 'accepted') {
      u.phase = 'completed';
      u.outcome = ACCEPTED_UPDATE_COMPLETED_WORKFLOW;
    } else if (u.phase !== 'completed') {
      delete s.updates[u.updateId];
    }
  }
}

export function isRejection(message: Msg): boolean {
  return String(message.body?.type_url ?? '').endsWith('temporal.api.update.v1.Rejection');
}

export function applyUpdateMessage(m: Mutation, message: Msg): void {
  const body = unpackAny(message.body);
  const u = m.state.updates[message.protocolInstanceId];
  if (!body || !u) return;
  switch (body.typeName) {
    case 'temporal.api.update.v1.Acceptance':
      u.acceptedEventId = m.append('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', {
        protocolInstanceId: u.updateId,
        acceptedRequestMessageId: body.value.acceptedRequestMessageId,
        acceptedRequestSequencingEventId: body.value.acceptedRequestSequencingEventId,
        acceptedRequest: body.value.acceptedRequest ?? u.request,
      });
      u.phase = 'accepted';
      break;
    case 'temporal.api.update.v1.Rejection':
      u.phase = 'completed';
      u.outcome = { failure: body.value.failure };
      break;
    case 'temporal.api.update.v1.Response':
      m.append('WORKFLOW_EXECUTION_UPDATE_COMPLETED', { meta: body.value.meta, acceptedEventId: u.acceptedEventId, outcome: body.value.outcome });
      u.phase = 'completed';
      u.outcome = body.value.outcome;
      break;
    default:
      throw invalidArgument(`unsupported protocol message ${body.typeName}`);
  }
}

/**
 * Admits the update (unless known already) and waits for the requested stage. An update the
 * run dropped as it continued as new (or retried) goes on to the next run, as the real
 * server's internal retry does; the caller does not notice.
 */
export async function updateWorkflow(engine: Engine, exec: Execution, req: Msg, ctx: CallContext): Promise<Msg> {
  const updateId: string = req.request?.meta?.updateId;
  if (!updateId) throw invalidArgument('Update id is not set on request.');
  if (!req.request?.input?.name) throw invalidArgument('Update name is not set on request.');
  for (;;) {
    await engine.mutate(exec, (m) => {
      const s = m.state;
      m.persist = false;
      if (s.updates[updateId]) return;
      if (!exec.isOpen) throw workflowCompleted();
      checkUpdateLimits(s);
      m.persist = true;
      s.updates[updateId] = { updateId, phase: 'admitted', request: req.request };
      if (!s.wft) scheduleWorkflowTask(m, { transient: true });
      // A delayed start's first task goes out now, as on the real server, so the update runs.
      else if (s.wft.notBefore && s.previousStartedEventId === 0) releaseDelayedWorkflowTask(m, true);
    });
    const answer = await waitForStage(exec, updateId, req.waitPolicy?.lifecycleStage, ctx);
    if (answer) return answer;
    exec = await engine.find(exec.state.namespace, exec.state.workflowId, exec.state.newRunId);
  }
}

/** As the real server's update registry: a few in flight at once, and a bounded total per run. */
function checkUpdateLimits(s: RunState): void {
  const updates = Object.values(s.updates);
  if (updates.filter((u) => u.phase !== 'completed' && u.phase !== 'aborted').length >= MAX_IN_FLIGHT_UPDATES) {
    throw resourceExhausted(`limit on number of concurrent in-flight updates has been reached (${MAX_IN_FLIGHT_UPDATES})`, 'RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT');
  }
  // Rejected updates do not count towards the total.
  if (updates.filter((u) => u.phase !== 'aborted' && (u.phase !== 'completed' || u.acceptedEventId !== undefined)).length >= MAX_TOTAL_UPDATES) {
    throw failedPrecondition(
      `The limit on the total number of distinct updates in this workflow has been reached (${MAX_TOTAL_UPDATES}). ` +
        'Make sure any duplicate updates share an Update ID so the server can deduplicate them, and consider rejecting updates that you aren\'t going to process. ' +
        'You can also Continue-as-New to avoid this; we recommend you check Continue-as-New Suggested in your Workflow.',
    );
  }
}

export async function pollUpdate(engine: Engine, req: Msg, ctx: CallContext): Promise<Msg> {
  const ref = req.updateRef ?? {};
  const exec = await engine.find(req.namespace, ref.workflowExecution?.workflowId ?? '', ref.workflowExecution?.runId);
  if (!exec.state.updates[ref.updateId]) throw notFound(`update ${ref.updateId} not found`);
  const answer = await waitForStage(exec, ref.updateId, req.waitPolicy?.lifecycleStage, ctx);
  if (!answer) throw abortedByClosing();
  return answer;
}

const abortedByClosing = () => notFound('workflow update was aborted by closing workflow');

/** The update at the stage wanted (or reached by the deadline); undefined when its run moved on without it. */
async function waitForStage(exec: Execution, updateId: string, stage: string | undefined, ctx: CallContext): Promise<Msg | undefined> {
  const wanted = Math.max(1, STAGES.indexOf(stage ?? ''));
  const until = Math.min(ctx.deadline - 500, Date.now() + MAX_WAIT_MS);
  for (;;) {
    const u = exec.state.updates[updateId];
    if (!u) {
      if (exec.isOpen) throw notFound(`update ${updateId} not found`);
      if (exec.state.newRunId) return undefined;
      throw abortedByClosing();
    }
    if (u.phase === 'aborted') throw workflowNotReady('Unable to perform workflow execution update due to unexpected workflow task failure.');
    const reached = stageOf(u);
    if (reached >= wanted || Date.now() >= until || ctx.signal.aborted) {
      return {
        updateRef: { workflowExecution: { workflowId: exec.state.workflowId, runId: exec.runId }, updateId },
        outcome: u.outcome,
        stage: STAGES[reached],
      };
    }
    await exec.waitForChange(until - Date.now(), ctx.signal);
  }
}
