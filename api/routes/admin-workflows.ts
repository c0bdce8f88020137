import { Router } from 'express';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { AppContext } from '../context.ts';
import { requireTemporal, type TemporalGateway } from '../temporal.ts';
import { audit } from '../auth/audit.ts';
import { requireAdmin } from '../auth/middleware.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import { KINDS, kindOfType } from './admin-workflows/kinds.ts';
import { WORKFLOWS_PAGE_SIZE, listWorkflowsQuerySchema, signalBodySchema, visibilityQuery } from './admin-workflows/query.ts';
import { listItemOf, pendingActivitiesOf, timelineOf, type WorkflowListItem } from './admin-workflows/views.ts';

/** The most history events a detail answer carries: the newest ones, which are what an admin looks for. */
const TIMELINE_LIMIT = 1000;
/** A state query needs a worker to answer; an actor whose worker is gone must not hang the page. */
const QUERY_TIMEOUT_MS = 5000;

/**
 * The workflow inspector for admins: the product's actors by kind and status, one actor's history,
 * pending activities and live state, and signal or cancel (audited). Only SDK calls, so it works the
 * same on embedded-temporal and a real server; links go to the Temporal UI when TEMPORAL_UI_URL is set.
 */
export function adminWorkflowRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/admin/workflows', requireAdmin);

  router.get('/admin/workflows', async (req, res) => {
    const temporal = requireTemporal(ctx);
    const filter = listWorkflowsQuerySchema.parse(req.query);
    const query = visibilityQuery(filter);
    const skip = (filter.page - 1) * WORKFLOWS_PAGE_SIZE;
    const items: WorkflowListItem[] = [];
    let seen = 0;
    // Visibility pages are cursors, not numbers: walk to the asked page.
    for await (const info of temporal.client.workflow.list({ query, pageSize: WORKFLOWS_PAGE_SIZE })) {
      if (seen++ < skip) continue;
      items.push(listItemOf(info));
      if (items.length === WORKFLOWS_PAGE_SIZE) break;
    }
    const { count } = await temporal.client.workflow.count(query);
    res.json({
      items: items.map((item) => ({ ...item, temporalUiUrl: uiLink(ctx, temporal, item.workflowId, item.runId) })),
      total: count,
      pageSize: WORKFLOWS_PAGE_SIZE,
      temporalUiUrl: ctx.config.TEMPORAL_UI_URL ? `${ctx.config.TEMPORAL_UI_URL.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows` : null,
    });
  });

  router.get('/admin/workflows/:workflowId', async (req, res) => {
    const temporal = requireTemporal(ctx);
    const handle = temporal.client.workflow.getHandle(req.params.workflowId);
    const description = await describeOrNotFound(handle);
    const history = await handle.fetchHistory();
    const events = timelineOf(history.events ?? []);
    const kind = kindOfType(description.type);
    const running = description.status.name === 'RUNNING';
    res.json({
      ...listItemOf(description),
      taskQueue: description.taskQueue,
      memo: description.memo ?? {},
      temporalUiUrl: uiLink(ctx, temporal, description.workflowId, description.runId),
      timeline: events.slice(-TIMELINE_LIMIT),
      timelineTruncated: events.length > TIMELINE_LIMIT,
      pendingActivities: pendingActivitiesOf(description),
      state: kind && running ? await stateOf(temporal, handle, KINDS[kind].stateQuery) : null,
      signals: kind && running ? KINDS[kind].signals : [],
      cancelable: running,
    });
  });

  router.post('/admin/workflows/:workflowId/signal', async (req, res) => {
    const temporal = requireTemporal(ctx);
    const { name, args } = signalBodySchema.parse(req.body);
    const handle = temporal.client.workflow.getHandle(req.params.workflowId);
    const description = await describeOrNotFound(handle);
    const kind = kindOfType(description.type);
    if (description.status.name !== 'RUNNING') throw conflict('The workflow is not running.');
    if (!kind || !KINDS[kind].signals.includes(name)) {
      throw new Problem(422, 'validation', 'Invalid input', `${description.type} takes no signal named ${name}.`, { signals: kind ? KINDS[kind].signals : [] });
    }
    await handle.signal(name, ...args);
    await audit(ctx, req, { action: 'workflow.signaled', targetType: 'workflow', targetId: description.workflowId, details: { runId: description.runId, signal: name, args } });
    res.status(202).json({ workflowId: description.workflowId, runId: description.runId, signal: name });
  });

  router.post('/admin/workflows/:workflowId/cancel', async (req, res) => {
    const temporal = requireTemporal(ctx);
    const handle = temporal.client.workflow.getHandle(req.params.workflowId);
    const description = await describeOrNotFound(handle);
    if (description.status.name !== 'RUNNING') throw conflict('The workflow is not running.');
    await handle.cancel();
    await audit(ctx, req, { action: 'workflow.cancel_requested', targetType: 'workflow', targetId: description.workflowId, details: { runId: description.runId, workflowType: description.type } });
    res.status(202).json({ workflowId: description.workflowId, runId: description.runId, cancelRequested: true });
  });

  return router;
}

async function describeOrNotFound(handle: WorkflowHandle) {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound('No workflow has this id.');
    throw error;
  }
}

/** The actor's answer to its state query, or why there is none (no worker answered, the query failed). */
async function stateOf(temporal: TemporalGateway, handle: WorkflowHandle, query: string) {
  try {
    const value = await temporal.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query<unknown>(query));
    return { ok: true as const, value };
  } catch (error) {
    return { ok: false as const, error: (error as Error).message };
  }
}

function uiLink(ctx: AppContext, temporal: TemporalGateway, workflowId: string, runId: string): string | null {
  const base = ctx.config.TEMPORAL_UI_URL;
  if (!base) return null;
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
