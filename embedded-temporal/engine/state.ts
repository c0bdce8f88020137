/**
 * The mutable state of one workflow run: everything the server must remember besides the
 * history itself. It is persisted as JSON in `executions.state` after every change.
 */
import type { Msg } from '../proto.ts';
import type { RunVersioning } from './deployments.ts';
import type { NexusOperationState } from './nexus.ts';

export type ExecutionStatus =
  | 'WORKFLOW_EXECUTION_STATUS_RUNNING'
  | 'WORKFLOW_EXECUTION_STATUS_COMPLETED'
  | 'WORKFLOW_EXECUTION_STATUS_FAILED'
  | 'WORKFLOW_EXECUTION_STATUS_CANCELED'
  | 'WORKFLOW_EXECUTION_STATUS_TERMINATED'
  | 'WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW'
  | 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT';

export interface WorkflowTaskState {
  /** Identifies this task in task tokens and matching; bumped for every new task or attempt. */
  nonce: number;
  attempt: number;
  /**
   * A transient task has no events in history until it completes: a retry after a failure,
   * or a speculative task carrying only updates (dropped when the updates are all rejected).
   */
  transient: boolean;
  scheduledEventId: number;
  scheduledTime: number;
  /** Not before this time (backoff of a retried task or first task of a delayed start). */
  notBefore?: number;
  startedEventId?: number;
  startedTime?: number;
  identity?: string;
  requestId?: string;
  /** Updates delivered with this task, to be resent if it fails. */
  updateIds: string[];
  /** While offered on a worker's sticky queue: when to give up and use the normal queue. */
  stickyUntil?: number;
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  /** ActivityTaskScheduled attributes, defaults applied: what every attempt is dispatched with. */
  attrs: Msg;
  scheduledTime: number;
  attempt: number;
  attemptScheduledTime: number;
  phase: 'scheduled' | 'started' | 'backoff';
  retryAt?: number;
  startedTime?: number;
  identity?: string;
  requestId?: string;
  lastHeartbeatTime?: number;
  heartbeatDetails?: Msg;
  lastFailure?: Msg;
  lastWorkerIdentity?: string;
  cancelRequestedEventId?: number;
  /** Paused by an operator: no new attempt is dispatched until unpaused. */
  paused?: { time: number; identity?: string; reason?: string; requestId?: string };
  /** Reset while an attempt runs: the retries after it count from 1. */
  resetPending?: boolean;
  /** `attrs` before UpdateActivityOptions first changed them. */
  originalAttrs?: Msg;
}

export interface TimerState {
  timerId: string;
  startedEventId: number;
  fireAt: number;
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  runId?: string;
  startedEventId?: number;
  parentClosePolicy: string;
  /** The start command's attributes, until the child is started. */
  command?: Msg;
}

export interface UpdateState {
  updateId: string;
  /** aborted: the workflow task that carried it failed (its callers get an error). */
  phase: 'admitted' | 'sent' | 'accepted' | 'completed' | 'aborted';
  request: Msg;
  acceptedEventId?: number;
  outcome?: Msg;
}

/** An event waiting for the in-flight workflow task to finish before it can join the history. */
export interface BufferedEvent {
  eventType: string;
  attrs: Msg;
  /** Name of an attribute to set to the id of the event appended just before this one. */
  previousIdAttr?: string;
}

/** A side effect on another run, done after this run's change is committed (an outbox). */
export type Transfer =
  | { kind: 'startChild'; initiatedEventId: number }
  | { kind: 'signalExternal'; initiatedEventId: number; namespace: string; workflowId: string; runId?: string; signalName: string; input?: Msg; header?: Msg; childOnly: boolean }
  | { kind: 'cancelExternal'; initiatedEventId: number; namespace: string; workflowId: string; runId?: string; childOnly: boolean; reason?: string }
  | { kind: 'notifyParent'; closeEvent: Msg }
  | { kind: 'closeChild'; namespace: string; workflowId: string; runId?: string; policy: string }
  | { kind: 'nexusCompletion'; header: Record<string, string>; closeNotice: Msg };

export interface RunState {
  namespace: string;
  workflowId: string;
  runId: string;
  firstRunId: string;
  workflowType: string;
  taskQueue: string;
  status: ExecutionStatus;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  workflowTaskTimeoutMs: number;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  runExpiresAt?: number;
  executionExpiresAt?: number;
  attempt: number;
  retryPolicy?: Msg;
  startRequestId: string;
  nextEventId: number;
  /** Started event id of the last completed workflow task. */
  previousStartedEventId: number;
  wftNonce: number;
  wft: WorkflowTaskState | null;
  activities: Record<string, ActivityState>;
  timers: Record<string, TimerState>;
  children: Record<string, ChildState>;
  buffered: BufferedEvent[];
  updates: Record<string, UpdateState>;
  cancelRequested: boolean;
  memo?: Msg;
  searchAttributes?: Msg;
  parent?: { namespace: string; workflowId: string; runId: string; initiatedEventId: number };
  /** The root of a child's tree of workflows (absent: the run is its own root). */
  root?: { workflowId: string; runId: string };
  priority?: Msg;
  /** Worker versioning: the version and behavior its last task was completed with by a versioned worker. */
  versioning?: RunVersioning;
  /** The workflow's static summary and details (UserMetadata), shown by the UI. */
  userMetadata?: Msg;
  /** Next run of the chain (continue-as-new, retry), so result() can follow it. */
  newRunId?: string;
  /** The sticky queue of the worker that has this run cached, from its last completion. */
  sticky?: { queue: string; timeoutMs: number };
  /** Recent signal request ids, to drop retried duplicates. */
  signalRequestIds: string[];
  outbox: Transfer[];
  /** The cronSchedule start option, when the run is one of a cron chain. */
  cronSchedule?: string;
  historySizeBytes: number;
  /** Nexus operations this workflow called that are not closed yet, by scheduled event id (nexus.ts). */
  nexusOperations?: Record<string, NexusOperationState>;
  /** The start's completion callbacks: a Nexus operation this run (and the runs after it in its chain) backs. */
  completionCallbacks?: Msg[];
  /** Set when the run carries a standalone activity instead of a workflow (standalone-activities.ts). */
  standaloneActivity?: StandaloneActivityState;
  /** Writes of this run so far: DescribeWorkflowExecution's stateTransitionCount (absent in runs written before it was kept). */
  stateTransitions?: number;
}

export interface StandaloneActivityState {
  activityId: string;
  startDelay?: Msg;
  /** The activity as it was when it closed (a closed run keeps no pending activities). */
  last?: ActivityState;
  /** The close's result, or its failure and retry state, as PollActivityExecution returns them. */
  outcome?: Msg;
  cancel?: { requestId?: string; reason?: string; identity?: string };
  terminateRequestId?: string;
}

export const RUNNING: ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_RUNNING';

/** A run's state with nothing pending: no task, activity, timer, child, update or buffered event. */
export function nothingPending(): Pick<RunState, 'previousStartedEventId' | 'wft' | 'activities' | 'timers' | 'children' | 'buffered' | 'updates' | 'cancelRequested' | 'signalRequestIds' | 'outbox'> {
  return { previousStartedEventId: 0, wft: null, activities: {}, timers: {}, children: {}, buffered: [], updates: {}, cancelRequested: false, signalRequestIds: [], outbox: [] };
}
