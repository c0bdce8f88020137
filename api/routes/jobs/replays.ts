import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import type { replayDeliveriesWorkflow } from '../../../workflows/replay/workflow.ts';
import { listFailedDeliveries } from '../../../db/repositories/failed-deliveries.ts';
import { executionView } from '../../../db/repositories/job-views.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { bulkReplaySchema, failedDeliveriesQuerySchema } from '../../../domain/jobs/requests.ts';
import { orgAccessOf, requireOrgRole } from '../../auth/middleware.ts';
import { notFound, Problem } from '../../http/problem.ts';
import { requireTemporal } from '../../temporal.ts';

type ReplayOutcome = Awaited<ReturnType<typeof replayDeliveriesWorkflow>>[number];

/** The replays, done by a worker (replayDeliveriesWorkflow); the caller waits for their outcomes. */
async function replay(ctx: AppContext, organizationId: number, executionIds: number[]): Promise<ReplayOutcome[]> {
  const temporal = requireTemporal(ctx, 'The workers are not reachable; nothing was replayed. Try again shortly.');
  return temporal.client.workflow.execute<typeof replayDeliveriesWorkflow>('replayDeliveriesWorkflow', {
    taskQueue: temporal.taskQueue,
    workflowId: `replay-deliveries-${organizationId}-${randomUUID()}`,
    args: [{ organizationId, executionIds }],
  });
}

function problemOf(outcome: Extract<ReplayOutcome, { ok: false }>): Problem {
  if (outcome.status === 404) return notFound(outcome.reason);
  if (outcome.status === 429) return new Problem(429, 'plan-limit-executions', 'Plan limit reached', `${outcome.reason} Upgrade to Pro, or wait for the next month.`);
  return new Problem(409, 'not-replayable', 'Cannot replay this execution', outcome.reason);
}

/**
 * The dead-letter list and replays: GET /failed_deliveries, POST /executions/:id/replay and
 * POST /executions/replay (bulk). Any member or the organization's API key.
 */
export function replayRoutes(ctx: AppContext): Router {
  const router = Router();
  const member = requireOrgRole(ctx, ['owner', 'admin', 'member'], { allowApiKey: true });

  router.get('/orgs/:orgId/failed_deliveries', member, async (req, res) => {
    const { page, pageSize, jobId } = failedDeliveriesQuerySchema.parse(req.query);
    const { items, total } = await listFailedDeliveries(ctx.db, orgAccessOf(req).organizationId, { jobId, limit: pageSize, offset: (page - 1) * pageSize });
    res.json({
      items: items.map((row) => ({ ...executionView(row), jobName: row.job_name, lastReplay: row.last_replay_id === null ? null : { id: row.last_replay_id, status: row.last_replay_status } })),
      total,
      page,
      pageSize,
    });
  });

  // Before /executions/:executionId/replay, which would take "replay" for an id.
  router.post('/orgs/:orgId/executions/replay', member, async (req, res) => {
    const ids = [...new Set(bulkReplaySchema.parse(req.body).executionIds)];
    const outcomes = await replay(ctx, orgAccessOf(req).organizationId, ids);
    res.json({ results: outcomes.map((outcome, i) => (outcome.ok ? { executionId: ids[i], replay: outcome.execution } : { executionId: ids[i], problem: { status: outcome.status, detail: outcome.reason } })) });
  });

  router.post('/orgs/:orgId/executions/:executionId/replay', member, async (req, res) => {
    const id = parseNumericId(req.params.executionId);
    if (id === null) throw notFound('No such execution.');
    const [outcome] = await replay(ctx, orgAccessOf(req).organizationId, [id]);
    if (!outcome.ok) throw problemOf(outcome);
    res.status(201).json(outcome.execution);
  });

  return router;
}
