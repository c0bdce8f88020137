/** The admin workflow inspector's endpoints (api/routes/admin-workflows.ts). */
import type { WorkflowDetail, WorkflowKind, WorkflowList, WorkflowStatusFilter } from '../../../../../domain/contract.ts';
import { http } from '../../../api/http';

export type { WorkflowDetail, WorkflowList };

export interface WorkflowQuery {
  kind?: WorkflowKind;
  status?: WorkflowStatusFilter;
  /** A workflow id, a booking number, or words of a job's, store's, service's or customer's name. */
  q?: string;
  page: number;
}

const path = (workflowId: string) => `/admin/workflows/${encodeURIComponent(workflowId)}`;

export const workflowsApi = {
  list: (query: WorkflowQuery) => http.get<WorkflowList>('/admin/workflows', { ...query }),
  get: (workflowId: string, historyPage?: number) => http.get<WorkflowDetail>(path(workflowId), { historyPage }),
  signal: (workflowId: string, name: string, args: unknown[]) => http.post<void>(`${path(workflowId)}/signal`, { name, args }),
  cancel: (workflowId: string) => http.post<void>(`${path(workflowId)}/cancel`),
};

export const KIND_LABELS: Record<WorkflowKind, string> = { booking: 'Booking', 'cron-job': 'Cron job', store: 'Store ingestion', calendar: 'Calendar sync', 'alert-digest': 'Alert digest', replay: 'Delivery replay' };

/** daisyUI badge colour per status. */
export function statusBadge(status: string): string {
  if (status === 'RUNNING') return 'badge-info';
  if (status === 'COMPLETED') return 'badge-success';
  if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'TERMINATED') return 'badge-error';
  return 'badge-ghost';
}
