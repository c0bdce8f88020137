/**
 * What the admin workflow inspector answers (api/routes/admin-workflows.ts), as the web app reads it.
 * Times are ISO 8601 UTC strings.
 */

/** The product's actors, by the names the inspector uses for them. */
export const WORKFLOW_KINDS = ['booking', 'cron-job', 'store', 'calendar', 'alert-digest', 'replay'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

/** The list's status filter, in URL spelling. */
export const WORKFLOW_STATUS_FILTERS = ['running', 'completed', 'failed', 'canceled', 'terminated', 'continued-as-new', 'timed-out'] as const;
export type WorkflowStatusFilter = (typeof WORKFLOW_STATUS_FILTERS)[number];

/** The records the product's actors run for (each actor's workflow id names one). */
export type ActorEntityKind = 'booking' | 'job' | 'store' | 'calendar';

export interface ActorEntityRef {
  kind: ActorEntityKind;
  id: number;
}

/** What an actor runs for, as the inspector names it: a job's or store's name, a booking's service and customer. */
export interface ActorEntityView extends ActorEntityRef {
  name: string;
  /** The organization a job or store belongs to; null for bookings and calendars. */
  organization: string | null;
}

/** The record an actor runs for, and the app's page of it. */
export interface WorkflowEntity extends ActorEntityView {
  path: string | null;
}

export interface WorkflowListItem {
  workflowId: string;
  runId: string;
  kind: WorkflowKind | null;
  workflowType: string;
  /** The SDK's name: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT. */
  status: string;
  startedAt: string;
  closedAt: string | null;
  historyLength: number;
}

export interface WorkflowSummary extends WorkflowListItem {
  entity: WorkflowEntity | null;
  temporalUiUrl: string | null;
}

/** `GET /admin/workflows`: a page of actors. */
export interface WorkflowList {
  items: WorkflowSummary[];
  total: number;
  pageSize: number;
  temporalUiUrl: string | null;
}

export interface TimelineEvent {
  id: number;
  at: string | null;
  /** `ActivityTaskScheduled`, `WorkflowExecutionSignaled`, … (the event type without its enum prefix). */
  type: string;
  /** What the event is about: the activity, signal, update or timer; a failure's message. */
  detail: string | null;
  /** Workflow task bookkeeping, which the page folds away by default. */
  workflowTask: boolean;
}

export interface PendingActivityView {
  activityId: string;
  activityType: string;
  state: string;
  attempt: number;
  maximumAttempts: number | null;
  scheduledAt: string | null;
  lastStartedAt: string | null;
  nextAttemptAt: string | null;
  lastFailure: string | null;
}

export type QueryAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

/** `GET /admin/workflows/:workflowId`: one actor, a page of its history, and what it does now. */
export interface WorkflowDetail extends WorkflowSummary {
  taskQueue: string;
  memo: Record<string, unknown>;
  timeline: TimelineEvent[];
  history: { page: number; pages: number; pageSize: number; total: number };
  pendingActivities: PendingActivityView[];
  state: QueryAnswer<unknown> | null;
  /** The SDK's `__stack_trace` query: where each of the running workflow's coroutines waits. */
  stackTrace: QueryAnswer<string> | null;
  signals: string[];
  cancelable: boolean;
}
