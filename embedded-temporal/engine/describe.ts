/** DescribeWorkflowExecution, and the WorkflowExecutionInfo shape shared with visibility. */
import { duration, ms, optionalDuration, timestamp, type Msg } from '../proto.ts';
import { activityOptions } from './activity-control.ts';
import type { Execution } from './execution.ts';
import { pendingNexusOperations } from './nexus.ts';
import type { RunState } from './state.ts';

export function executionInfo(s: RunState): Msg {
  return {
    execution: { workflowId: s.workflowId, runId: s.runId },
    type: { name: s.workflowType },
    startTime: timestamp(s.startTime),
    closeTime: s.closeTime ? timestamp(s.closeTime) : undefined,
    executionTime: timestamp(s.executionTime),
    status: s.status,
    historyLength: s.nextEventId - 1,
    parentExecution: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : undefined,
    memo: s.memo,
    searchAttributes: s.searchAttributes,
    taskQueue: s.taskQueue,
    historySizeBytes: s.historySizeBytes,
    stateTransitionCount: s.stateTransitions ?? 0,
    firstRunId: s.firstRunId,
    executionDuration: s.closeTime ? duration(s.closeTime - s.executionTime) : undefined,
    rootExecution: s.root ?? { workflowId: s.workflowId, runId: s.runId },
    versioningInfo: s.versioning && {
      behavior: s.versioning.behavior,
      deploymentVersion: { deploymentName: s.versioning.deploymentName, buildId: s.versioning.buildId },
    },
    workerDeploymentName: s.versioning?.deploymentName,
    priority: s.priority,
  };
}

export function describeExecution(exec: Execution): Msg {
  const s = exec.state;
  return {
    executionConfig: {
      taskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      workflowExecutionTimeout: optionalDuration(s.executionTimeoutMs),
      workflowRunTimeout: optionalDuration(s.runTimeoutMs),
      defaultWorkflowTaskTimeout: duration(s.workflowTaskTimeoutMs),
      userMetadata: s.userMetadata,
    },
    workflowExecutionInfo: executionInfo(s),
    pendingActivities: Object.values(s.activities).map((a) => ({
      activityId: a.activityId,
      activityType: a.attrs.activityType,
      state:
        a.cancelRequestedEventId !== undefined
          ? 'PENDING_ACTIVITY_STATE_CANCEL_REQUESTED'
          : a.paused
            ? a.phase === 'started' ? 'PENDING_ACTIVITY_STATE_PAUSE_REQUESTED' : 'PENDING_ACTIVITY_STATE_PAUSED'
            : a.phase === 'started'
              ? 'PENDING_ACTIVITY_STATE_STARTED'
              : 'PENDING_ACTIVITY_STATE_SCHEDULED',
      paused: !!a.paused,
      pauseInfo: a.paused ? { pauseTime: timestamp(a.paused.time), manual: { identity: a.paused.identity, reason: a.paused.reason } } : undefined,
      activityOptions: activityOptions(a),
      heartbeatDetails: a.heartbeatDetails,
      lastHeartbeatTime: a.lastHeartbeatTime ? timestamp(a.lastHeartbeatTime) : undefined,
      lastStartedTime: a.startedTime ? timestamp(a.startedTime) : undefined,
      attempt: a.attempt,
      maximumAttempts: a.attrs.retryPolicy?.maximumAttempts ?? 0,
      scheduledTime: timestamp(a.scheduledTime),
      expirationTime: ms(a.attrs.scheduleToCloseTimeout) ? timestamp(a.scheduledTime + ms(a.attrs.scheduleToCloseTimeout)) : undefined,
      lastFailure: a.lastFailure,
      lastWorkerIdentity: a.lastWorkerIdentity,
      nextAttemptScheduleTime: a.retryAt ? timestamp(a.retryAt) : undefined,
    })),
    pendingChildren: Object.values(s.children).map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId,
      workflowTypeName: c.workflowType,
      initiatedId: c.initiatedEventId,
      parentClosePolicy: c.parentClosePolicy,
    })),
    pendingNexusOperations: pendingNexusOperations(s),
    pendingWorkflowTask: s.wft
      ? {
          state: s.wft.startedTime !== undefined ? 'PENDING_WORKFLOW_TASK_STATE_STARTED' : 'PENDING_WORKFLOW_TASK_STATE_SCHEDULED',
          scheduledTime: timestamp(s.wft.scheduledTime),
          startedTime: s.wft.startedTime !== undefined ? timestamp(s.wft.startedTime) : undefined,
          attempt: s.wft.attempt,
        }
      : undefined,
  };
}
