import { http } from '../../../api/http';
import type { Page } from '../../../api/types';

/** The admin workflow inspector's endpoints (api/routes/admin-workflows.ts). */

export type WorkflowKind = 'booking' | 'cron-job' | 'store' | 'calendar';
export type WorkflowStatusFilter = 'running' | 'completed' | 'failed' | 'canceled' | 'terminated' | 'continued-as-new' | 'timed-out';

export interface WorkflowQuery {
  kind?: WorkflowKind;
  status?: WorkflowStatusFilter;
  /** A workflow id, a booking number, or words of a job's, store's, service's or customer's name. */
  q?: string;
  page: number;
}

/** The record an actor runs for, and the app's page of it. */
export interface WorkflowEntity {
  kind: 'booking' | 'job' | 'store' | 'calendar';
  id: number;
  name: string;
  organization: string | null;
  path: string | null;
}

export interface WorkflowSummary {
  workflowId: string;
  runId: string;
  kind: WorkflowKind | null;
  workflowType: string;
  /** The SDK's name: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT. */
  status: string;
  startedAt: string;
  closedAt: string | null;
  historyLength: number;
  entity: WorkflowEntity | null;
  temporalUiUrl: string | null;
}

export interface WorkflowList extends Page<WorkflowSummary> {
  pageSize: number;
  temporalUiUrl: string | null;
}

export interface TimelineEvent {
  id: number;
  at: string | null;
  type: string;
  detail: string | null;
  workflowTask: boolean;
}

export interface PendingActivity {
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

export interface WorkflowDetail extends WorkflowSummary {
  taskQueue: string;
  memo: Record<string, unknown>;
  timeline: TimelineEvent[];
  history: { page: number; pages: number; pageSize: number; total: number };
  pendingActivities: PendingActivity[];
  state: QueryAnswer<unknown> | null;
  /** The SDK's `__stack_trace` query: where each of the running workflow's coroutines waits. */
  stackTrace: QueryAnswer<string> | null;
  signals: string[];
  cancelable: boolean;
}

export type QueryAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

const path = (workflowId: string) => `/admin/workflows/${encodeURIComponent(workflowId)}`;

export const workflowsApi = {
  list: (query: WorkflowQuery) => http.get<WorkflowList>('/admin/workflows', { ...query }),
  get: (workflowId: string, historyPage?: number) => http.get<WorkflowDetail>(path(workflowId), { historyPage }),
  signal: (workflowId: string, name: string, args: unknown[]) => http.post<void>(`${path(workflowId)}/signal`, { name, args }),
  cancel: (workflowId: string) => http.post<void>(`${path(workflowId)}/cancel`),
};

export const KIND_LABELS: Record<WorkflowKind, string> = { booking: 'Booking', 'cron-job': 'Cron job', store: 'Store ingestion', calendar: 'Calendar sync' };

/** daisyUI badge colour per status. */
export function statusBadge(status: string): string {
  if (status === 'RUNNING') return 'badge-info';
  if (status === 'COMPLETED') return 'badge-success';
  if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'TERMINATED') return 'badge-error';
  return 'badge-ghost';
}
