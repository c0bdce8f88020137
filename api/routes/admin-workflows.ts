import { Router } from 'express';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { AppContext } from '../context.ts';
import { requireTemporal, type TemporalGateway } from '../temporal.ts';
import { audit } from '../auth/audit.ts';
import { requireAdmin } from '../auth/middleware.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import { KINDS, kindOfType } from './admin-workflows/kinds.ts';
import { PLAIN_WORKFLOW_ID, WORKFLOWS_PAGE_SIZE, historyQuerySchema, listWorkflowsQuerySchema, signalBodySchema, visibilityQuery } from './admin-workflows/query.ts';
import { listItemOf, pendingActivitiesOf, timelineOf } from './admin-workflows/views.ts';
import { actorEntities, actorEntitiesMatching } from '../../db/repositories/actor-entities.ts';
import type { ActorEntityView, QueryAnswer, WorkflowDetail, WorkflowEntity, WorkflowList, WorkflowListItem } from '../../domain/inspector/views.ts';
import { actorEntityOf, workflowIdOf } from './admin-workflows/actor-ids.ts';

/** History events per page of a detail answer: a busy cron job's run has thousands. */
const HISTORY_PAGE_SIZE = 100;
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
    const searched = filter.q ? await workflowIdsSearched(ctx, filter.q) : undefined;
    if (searched?.length === 0) {
      const none: WorkflowList = { items: [], total: 0, pageSize: WORKFLOWS_PAGE_SIZE, temporalUiUrl: temporalUiListUrl(ctx, temporal) };
      res.json(none);
      return;
    }
    const query = visibilityQuery(filter, searched);
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
    const entities = await entitiesOf(ctx, items.map((item) => item.workflowId));
    const list: WorkflowList = {
      items: items.map((item) => ({ ...item, entity: entities.get(item.workflowId) ?? null, temporalUiUrl: uiLink(ctx, temporal, item.workflowId, item.runId) })),
      total: count,
      pageSize: WORKFLOWS_PAGE_SIZE,
      temporalUiUrl: temporalUiListUrl(ctx, temporal),
    };
    res.json(list);
  });

  router.get('/admin/workflows/:workflowId', async (req, res) => {
    const temporal = requireTemporal(ctx);
    const { historyPage } = historyQuerySchema.parse(req.query);
    const handle = temporal.client.workflow.getHandle(req.params.workflowId);
    const description = await describeOrNotFound(handle);
    const history = await handle.fetchHistory();
    const events = timelineOf(history.events ?? []);
    const historyPages = Math.max(1, Math.ceil(events.length / HISTORY_PAGE_SIZE));
    const page = Math.min(historyPage ?? historyPages, historyPages);
    const kind = kindOfType(description.type);
    const running = description.status.name === 'RUNNING';
    const [state, stackTrace, entities] = await Promise.all([
      kind && running && KINDS[kind].stateQuery ? queryOf<unknown>(temporal, handle, KINDS[kind].stateQuery) : null,
      // The SDK answers this built-in query with where each of the workflow's coroutines waits.
      running ? queryOf<string>(temporal, handle, '__stack_trace') : null,
      entitiesOf(ctx, [description.workflowId]),
    ]);
    const detail: WorkflowDetail = {
      ...listItemOf(description),
      entity: entities.get(description.workflowId) ?? null,
      taskQueue: description.taskQueue,
      memo: description.memo ?? {},
      temporalUiUrl: uiLink(ctx, temporal, description.workflowId, description.runId),
      timeline: events.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE),
      history: { page, pages: historyPages, pageSize: HISTORY_PAGE_SIZE, total: events.length },
      pendingActivities: pendingActivitiesOf(description),
      state,
      stackTrace,
      signals: kind && running ? KINDS[kind].signals : [],
      cancelable: running,
    };
    res.json(detail);
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

/** A search's workflows: the text itself as an id, and the actors of the records it names. */
async function workflowIdsSearched(ctx: AppContext, text: string): Promise<string[]> {
  const ids = (await actorEntitiesMatching(ctx.db, text)).map(workflowIdOf);
  if (PLAIN_WORKFLOW_ID.test(text)) ids.unshift(text);
  return [...new Set(ids)];
}

/** The record each actor runs for, by workflow id, with the page that shows it. */
async function entitiesOf(ctx: AppContext, workflowIds: string[]): Promise<Map<string, WorkflowEntity>> {
  const refs = workflowIds.map(actorEntityOf).filter((ref) => ref !== null);
  const views = await actorEntities(ctx.db, refs);
  return new Map(views.map((view) => [workflowIdOf(view), { ...view, path: entityPath(view) }]));
}

function entityPath(entity: ActorEntityView): string | null {
  if (entity.kind === 'booking') return `/bookings/${entity.id}`;
  if (entity.kind === 'job') return `/jobs/${entity.id}`;
  if (entity.kind === 'store') return `/stores/${entity.id}`;
  return null;
}

function temporalUiListUrl(ctx: AppContext, temporal: TemporalGateway): string | null {
  return ctx.config.TEMPORAL_UI_URL ? `${ctx.config.TEMPORAL_UI_URL.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows` : null;
}

/** The actor's answer to a query, or why there is none (no worker answered, the query failed). */
async function queryOf<T>(temporal: TemporalGateway, handle: WorkflowHandle, query: string): Promise<QueryAnswer<T>> {
  try {
    const value = await temporal.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query<T>(query));
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function uiLink(ctx: AppContext, temporal: TemporalGateway, workflowId: string, runId: string): string | null {
  const base = ctx.config.TEMPORAL_UI_URL;
  if (!base) return null;
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
