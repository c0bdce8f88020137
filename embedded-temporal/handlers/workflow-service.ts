/**
 * temporal.api.workflowservice.v1.WorkflowService: each RPC validated and mapped onto the
 * engine. RPCs not listed here answer UNIMPLEMENTED (see grpc/service.ts).
 */
import { status } from '@grpc/grpc-js';
import { invalidArgument, RpcError, workflowCompleted } from '../grpc/errors.ts';
import { pauseActivities, resetActivities, unpauseActivities, updateActivityOptions } from '../engine/activity-control.ts';
import type { CallContext, Handlers } from '../grpc/service.ts';
import { encodeWithField, packAny, type Msg } from '../proto.ts';
import { cancelCompletedActivity, completeActivity, failActivity, heartbeat, runningActivity } from '../engine/activities.ts';
import { describeExecution } from '../engine/describe.ts';
import { resetWorkflow } from '../engine/reset.ts';
import type { Engine } from '../engine/engine.ts';
import type { Execution } from '../engine/execution.ts';
import { getHistory, getHistoryReverse } from '../engine/history.ts';
import type { Mutation } from '../engine/mutation.ts';
import { pollActivityTask, pollWorkflowTask } from '../engine/polling.ts';
import type { ActivityState } from '../engine/state.ts';
import { decodeQueryToken, decodeToken, type TaskToken } from '../engine/task-token.ts';
import { pollUpdate, updateWorkflow } from '../engine/updates.ts';
import { countExecutions, listExecutions } from '../engine/visibility.ts';
import { checkBlobSize, requestCancel, signal, signalAttributes, startWorkflow, terminateRun, type StartResult } from '../engine/workflow-lifecycle.ts';
import { completeWorkflowTask, failWorkflowTask, pollResponse, unstickWorkflowTask } from '../engine/workflow-tasks.ts';
import { namespaceHandlers } from './namespace-service.ts';
import { standaloneActivityHandlers } from './standalone-activity-service.ts';
import { findStandaloneActivity } from '../engine/standalone-activities.ts';
import { pollNexusTask, respondNexusTaskCompleted, respondNexusTaskFailed } from '../engine/nexus.ts';

const START_RESPONSE = 'temporal.api.workflowservice.v1.StartWorkflowExecutionResponse';
const START_RESPONSE_EAGER_TASK_FIELD = 2;
const COMPLETED_RESPONSE = 'temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse';
const COMPLETED_RESPONSE_TASK_FIELD = 1;

export function workflowServiceHandlers(engine: Engine): Handlers {
  const find = (req: Msg, execution: Msg | undefined) => engine.find(req.namespace, execution?.workflowId ?? '', execution?.runId);

  /** The run a task token names. */
  const runOf = (t: TaskToken) => engine.find(engine.namespaceById(t.namespaceId).name, t.workflowId, t.runId);
  /** Applies `change` to the running activity a task token names. */
  const byToken = async <T>(req: Msg, change: (m: Mutation, a: ActivityState) => T): Promise<T> => {
    const t = decodeToken(req.taskToken);
    const exec = await runOf(t);
    // A token without a scheduled event id names the activity by id, as the real server reads it.
    const ref = t.scheduledEventId ? { scheduledEventId: t.scheduledEventId, attempt: t.attempt } : { activityId: t.activityId ?? '' };
    return engine.mutate(exec, (m) => change(m, runningActivity(exec, ref)));
  };
  /** Same, for the *ById variants: namespace, workflow id, run id and activity id; without a workflow id, a standalone activity's. */
  const byId = async <T>(req: Msg, change: (m: Mutation, a: ActivityState) => T): Promise<T> => {
    if (!req.activityId) throw invalidArgument('ActivityId is required.');
    const exec = req.workflowId ? await engine.find(req.namespace, req.workflowId, req.runId) : await findStandaloneActivity(engine, req);
    return engine.mutate(exec, (m) => change(m, runningActivity(exec, { activityId: req.activityId })));
  };

  /** Applies `change` to the open run a request names (`execution`). */
  const onRun = async (req: Msg, change: (m: Mutation) => Msg): Promise<Msg> => {
    const exec = await find(req, req.execution);
    return engine.mutate(exec, (m) => {
      if (!exec.isOpen) throw workflowCompleted();
      return change(m);
    });
  };

  const startResponse = ({ exec, started }: StartResult) => ({ runId: exec.runId, started, status: exec.state.status });

  return {
    ...namespaceHandlers(engine),
    ...standaloneActivityHandlers(engine),

    async StartWorkflowExecution(req) {
      const result = await startWorkflow(engine, req, {}, Boolean(req.requestEagerExecution));
      if (!result.eagerTask) return startResponse(result);
      // The task is encoded apart (its history is spliced in as bytes), then appended as a field.
      return encodeWithField(START_RESPONSE, startResponse(result), START_RESPONSE_EAGER_TASK_FIELD, pollResponse(engine, result.exec, result.eagerTask));
    },

    async SignalWithStartWorkflowExecution(req) {
      const signalRequest = { signalName: req.signalName, input: req.signalInput, identity: req.identity, header: req.header };
      if (!req.signalName) throw invalidArgument('SignalName is not set on request.');
      checkBlobSize(engine, req.signalInput);
      // A running workflow is signalled unless the conflict policy says to fail or to terminate
      // it (USE_EXISTING is the default here, as on the real server); otherwise a new run starts
      // with the signal in its history.
      const given = req.workflowIdConflictPolicy !== 'WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED' && req.workflowIdConflictPolicy;
      const conflict = given || (req.workflowIdReusePolicy === 'WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING' ? undefined : 'WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING');
      const result = await startWorkflow(engine, { ...req, workflowIdConflictPolicy: conflict }, { signal: signalAttributes(signalRequest) });
      if (!result.started) await signal(engine, result.exec, { ...signalRequest, requestId: req.requestId });
      return { runId: result.exec.runId, started: result.started };
    },

    async ExecuteMultiOperation(req, ctx) {
      const [first, second] = req.operations ?? [];
      if (!first?.startWorkflow || !second?.updateWorkflow || req.operations.length !== 2) {
        throw invalidArgument('ExecuteMultiOperation supports exactly [startWorkflow, updateWorkflow].');
      }
      let started: StartResult;
      try {
        started = await startWorkflow(engine, { ...first.startWorkflow, namespace: req.namespace });
      } catch (err) {
        throw err instanceof RpcError ? multiOperationFailure(err) : err;
      }
      const update = await updateWorkflow(engine, started.exec, { ...second.updateWorkflow, namespace: req.namespace }, ctx);
      return { responses: [{ startWorkflow: startResponse(started) }, { updateWorkflow: update }] };
    },

    PollWorkflowTaskQueue: (req, ctx) => pollWorkflowTask(engine, req, ctx),

    async RespondWorkflowTaskCompleted(req) {
      const t = decodeToken(req.taskToken);
      const exec = await runOf(t);
      const { workflowTask, rejection, ...response } = await engine.mutate(exec, (m) => completeWorkflowTask(m, t, req));
      if (rejection) throw rejection;
      if (!workflowTask) return response;
      return encodeWithField(COMPLETED_RESPONSE, response, COMPLETED_RESPONSE_TASK_FIELD, pollResponse(engine, exec, workflowTask));
    },

    async RespondWorkflowTaskFailed(req) {
      const t = decodeToken(req.taskToken);
      const exec = await runOf(t);
      await engine.mutate(exec, (m) => failWorkflowTask(m, t, req));
      return {};
    },

    async RespondQueryTaskCompleted(req) {
      engine.queries.answer(decodeQueryToken(req.taskToken).taskId, req);
      return {};
    },

    PollActivityTaskQueue: (req, ctx) => pollActivityTask(engine, req, ctx),

    RespondActivityTaskCompleted: (req) => byToken(req, (m, a) => (completeActivity(m, a, req), {})),
    RespondActivityTaskCompletedById: (req) => byId(req, (m, a) => (completeActivity(m, a, req), {})),
    RespondActivityTaskFailed: (req) => byToken(req, (m, a) => (failActivity(m, a, req), {})),
    RespondActivityTaskFailedById: (req) => byId(req, (m, a) => (failActivity(m, a, req), {})),
    RespondActivityTaskCanceled: (req) => byToken(req, (m, a) => (cancelCompletedActivity(m, a, req), {})),
    RespondActivityTaskCanceledById: (req) => byId(req, (m, a) => (cancelCompletedActivity(m, a, req), {})),
    RecordActivityTaskHeartbeat: (req) => byToken(req, (m, a) => heartbeat(m, a, req.details)),
    RecordActivityTaskHeartbeatById: (req) => byId(req, (m, a) => heartbeat(m, a, req.details)),

    PollNexusTaskQueue: (req, ctx) => pollNexusTask(engine, req, ctx),
    RespondNexusTaskCompleted: (req) => respondNexusTaskCompleted(engine, req),
    RespondNexusTaskFailed: (req) => respondNexusTaskFailed(engine, req),

    PauseActivity: (req) => onRun(req, (m) => (pauseActivities(m, req), {})),
    UnpauseActivity: (req) => onRun(req, (m) => (unpauseActivities(m, req), {})),
    ResetActivity: (req) => onRun(req, (m) => (resetActivities(m, req), {})),
    UpdateActivityOptions: (req) => onRun(req, (m) => updateActivityOptions(m, req)),

    ResetWorkflowExecution: (req) => resetWorkflow(engine, req),

    async DescribeWorkerDeployment(req) {
      engine.requireNamespace(req.namespace);
      return engine.deployments.describe(req.namespace, req.deploymentName);
    },
    async ListWorkerDeployments(req) {
      engine.requireNamespace(req.namespace);
      return engine.deployments.list(req.namespace);
    },
    async SetWorkerDeploymentCurrentVersion(req) {
      engine.requireNamespace(req.namespace);
      const { answer, rerouted } = await engine.deployments.setCurrent(req.namespace, req, engine.clock.now());
      engine.rerouteTasks(rerouted);
      return answer;
    },

    async ResetStickyTaskQueue(req) {
      const exec = await find(req, req.execution);
      // The cached worker is forgotten: a task waiting on its sticky queue goes to the task queue.
      await engine.mutate(exec, (m) => unstickWorkflowTask(m));
      return {};
    },

    async SignalWorkflowExecution(req) {
      if (!req.signalName) throw invalidArgument('SignalName is not set on request.');
      await signal(engine, await find(req, req.workflowExecution), req);
      return {};
    },

    async QueryWorkflow(req, ctx) {
      if (!req.query?.queryType) throw invalidArgument('QueryType is not set on request.');
      return engine.queries.query(engine, await find(req, req.execution), req, ctx);
    },

    async RequestCancelWorkflowExecution(req) {
      await requestCancel(engine, await find(req, req.workflowExecution), req);
      return {};
    },

    async TerminateWorkflowExecution(req) {
      await terminateRun(engine, await find(req, req.workflowExecution), req);
      return {};
    },

    GetWorkflowExecutionHistory: (req, ctx) => getHistory(engine, req, ctx),
    GetWorkflowExecutionHistoryReverse: (req) => getHistoryReverse(engine, req),

    async DescribeWorkflowExecution(req) {
      const exec: Execution = await find(req, req.execution);
      return describeExecution(exec);
    },

    async UpdateWorkflowExecution(req, ctx: CallContext) {
      return updateWorkflow(engine, await find(req, req.workflowExecution), req, ctx);
    },
    PollWorkflowExecutionUpdate: (req, ctx) => pollUpdate(engine, req, ctx),

    ListWorkflowExecutions: (req) => listExecutions(engine, req),
    ScanWorkflowExecutions: (req) => listExecutions(engine, req),
    CountWorkflowExecutions: (req) => countExecutions(engine, req),

    async ShutdownWorker(req) {
      engine.matching.releasePollers(req.identity ?? '');
      if (req.stickyTaskQueue) await engine.stickyQueueGone(req.namespace, req.stickyTaskQueue);
      return {};
    },
  };
}

/** How the real server reports a failed operation of a multi-operation: per-operation statuses. */
function multiOperationFailure(err: RpcError): RpcError {
  const detail = err.detail ? [packAny(err.detail.typeName, err.detail.value)] : [];
  return new RpcError(err.code, err.message, {
    typeName: 'temporal.api.errordetails.v1.MultiOperationExecutionFailure',
    value: {
      statuses: [
        { code: err.code, message: err.message, details: detail },
        { code: status.ABORTED, message: 'Operation was aborted.', details: [packAny('temporal.api.failure.v1.MultiOperationExecutionAborted', {})] },
      ],
    },
  });
}
