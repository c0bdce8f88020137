import { z } from 'zod';
import { WORKFLOW_KINDS, WORKFLOW_STATUS_FILTERS, type WorkflowStatusFilter } from '../../../domain/inspector/views.ts';
import { KINDS } from './kinds.ts';

/** The visibility value each status filter means. */
const STATUSES: Record<WorkflowStatusFilter, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  terminated: 'Terminated',
  'continued-as-new': 'ContinuedAsNew',
  'timed-out': 'TimedOut',
};

export const WORKFLOWS_PAGE_SIZE = 25;

export const listWorkflowsQuerySchema = z.object({
  kind: z.enum(WORKFLOW_KINDS).optional(),
  status: z.enum(WORKFLOW_STATUS_FILTERS).optional(),
  /** A workflow id, a booking number, or words of a job's, store's, service's or customer's name. */
  q: z.string().trim().min(1).max(200).optional(),
  // Listing walks the server's pages one by one, so deep pages are refused rather than slow.
  page: z.coerce.number().int().min(1).max(200).default(1),
});
export type ListWorkflowsQuery = z.infer<typeof listWorkflowsQuerySchema>;

/**
 * The visibility query for a filter: only the product's workflow types, and only
 * WorkflowType and ExecutionStatus comparisons, which a real server and embedded-temporal both support.
 */
export function visibilityQuery(filter: Pick<ListWorkflowsQuery, 'kind' | 'status'>, workflowIds?: string[]): string {
  const types = filter.kind ? [KINDS[filter.kind].workflowType] : Object.values(KINDS).map((k) => k.workflowType);
  const clauses = [types.length === 1 ? `WorkflowType = '${types[0]}'` : `WorkflowType IN (${types.map((t) => `'${t}'`).join(', ')})`];
  if (filter.status) clauses.push(`ExecutionStatus = '${STATUSES[filter.status]}'`);
  if (workflowIds) clauses.push(`WorkflowId IN (${workflowIds.map(quoted).join(', ')})`);
  return clauses.join(' AND ');
}

/** Ids that can stand in a visibility query as they are: no quote or space to escape. */
export const PLAIN_WORKFLOW_ID = /^[\w.:@/+=-]{1,200}$/;

function quoted(workflowId: string): string {
  if (!PLAIN_WORKFLOW_ID.test(workflowId)) throw new Error(`not a plain workflow id: ${workflowId}`);
  return `'${workflowId}'`;
}

export const historyQuerySchema = z.object({
  /** Pages of the run's history, oldest first; without one, the last (newest) page. */
  historyPage: z.coerce.number().int().min(1).optional(),
});

export const signalBodySchema = z.object({
  name: z.string().min(1).max(100),
  /** The signal's arguments, as the actor's definition types them. */
  args: z.array(z.unknown()).max(10).default([]),
});
