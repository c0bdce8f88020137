import { auditQuerySchema, listUsersQuerySchema, updateUserSchema } from '../../../domain/identity/admin.ts';
import { createCategorySchema, updateCategorySchema } from '../../../domain/identity/categories.ts';
import { historyQuerySchema, listWorkflowsQuerySchema, signalBodySchema } from '../../routes/admin-workflows/query.ts';
import { arrayOf, integerId, nullable, object, ref } from '../json-schema.ts';
import { accepted, created, noContent, ok, V1, type TagSpec } from '../operation.ts';

const category = object({ id: integerId, name: { type: 'string' }, slug: { type: 'string' }, parentId: nullable(integerId) });
const workflowId = { workflowId: { type: 'string', description: 'e.g. `booking-42`, `cron-job-7`, `store-3`' } };
const workflowRun = { workflowId: { type: 'string' }, runId: { type: 'string' } };

export const adminTag: TagSpec = {
  name: 'admin',
  description: 'Site administration (role admin): people, the audit log, service categories and the workflow inspector.',
  operations: [
    { method: 'get', path: `${V1}/admin/users`, summary: 'Search people', auth: 'admin', query: listUsersQuerySchema, success: ok('A page of people', object({ items: arrayOf(ref('User')), total: { type: 'integer' } })) },
    { method: 'patch', path: `${V1}/admin/users/:id`, summary: "Change a person's role or disable them (signs them out everywhere)", auth: 'admin', body: updateUserSchema, success: ok('The person', ref('User')), problems: [404, 409] },
    { method: 'get', path: `${V1}/admin/audit`, summary: 'The audit log, newest first, 50 a page', auth: 'admin', query: auditQuerySchema, success: ok('Audit events', object({ items: arrayOf({ type: 'object' }), total: { type: 'integer' } })) },
    { method: 'get', path: `${V1}/admin/categories`, summary: 'All service categories', auth: 'admin', success: ok('Categories', arrayOf(category)) },
    { method: 'post', path: `${V1}/admin/categories`, summary: 'Create a category (slug made from the name when absent)', auth: 'admin', body: createCategorySchema, success: created('The category', category), problems: [409] },
    { method: 'patch', path: `${V1}/admin/categories/:id`, summary: 'Change a category', auth: 'admin', body: updateCategorySchema, success: ok('The category', category), problems: [404, 409] },
    { method: 'delete', path: `${V1}/admin/categories/:id`, summary: 'Delete a category without sub-categories', auth: 'admin', success: noContent('Deleted'), problems: [404, 409] },
    {
      method: 'get',
      path: `${V1}/admin/workflows`,
      summary: "The product's workflows by kind, status and search (a workflow id, a booking number, a job's, store's, service's or customer's name), 25 a page, each with the record it runs for",
      auth: 'admin',
      query: listWorkflowsQuerySchema,
      success: ok('Workflows', object({ items: arrayOf({ type: 'object' }), total: { type: 'integer' }, pageSize: { type: 'integer' }, temporalUiUrl: nullable({ type: 'string' }) })),
      problems: [503],
    },
    {
      method: 'get',
      path: `${V1}/admin/workflows/:workflowId`,
      summary: 'One workflow: the record it runs for, a page of its history (100 events, the newest page unless `historyPage` says), pending activities, live state and call stack',
      auth: 'admin',
      params: workflowId,
      query: historyQuerySchema,
      success: ok('The workflow', { type: 'object' }),
      problems: [404, 503],
    },
    {
      method: 'post',
      path: `${V1}/admin/workflows/:workflowId/signal`,
      summary: 'Send one of its signals to a running workflow (audited)',
      auth: 'admin',
      params: workflowId,
      body: signalBodySchema,
      success: accepted('Signaled', object({ ...workflowRun, signal: { type: 'string' } })),
      problems: [404, 409, 503],
    },
    {
      method: 'post',
      path: `${V1}/admin/workflows/:workflowId/cancel`,
      summary: 'Request cancellation of a running workflow (audited)',
      auth: 'admin',
      params: workflowId,
      success: accepted('Cancellation requested', object({ ...workflowRun, cancelRequested: { type: 'boolean' } })),
      problems: [404, 409, 503],
    },
  ],
};
