import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { createReplayer, type ReplayOutcome } from '../../../activities/jobs/replay-execution.ts';
import { jobSecretKeyring } from '../../../db/repositories/job-signing-secrets.ts';
import { listFailedDeliveries } from '../../../db/repositories/failed-deliveries.ts';
import { executionView } from '../../../db/repositories/job-views.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { bulkReplaySchema, failedDeliveriesQuerySchema } from '../../../domain/jobs/requests.ts';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';
import { orgAccessOf, requireOrgRole } from '../../auth/middleware.ts';
import { notFound, Problem } from '../../http/problem.ts';

/** Replays sent at once by a bulk replay: a few receivers' worth, not a flood. */
const BULK_CONCURRENCY = 4;

/** Replays with one guarded client for the call, closed after (as the test request does). */
async function withReplayer<T>(ctx: AppContext, work: (replay: ReturnType<typeof createReplayer>) => Promise<T>): Promise<T> {
  const http = createOutboundClient({ allowLoopback: ctx.config.ALLOW_LOOPBACK_TARGETS });
  try {
    return await work(createReplayer({ db: ctx.db, http, keyring: () => jobSecretKeyring(ctx.db, ctx.config) }));
  } finally {
    await http.close();
  }
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
    const { executionIds } = bulkReplaySchema.parse(req.body);
    const organizationId = orgAccessOf(req).organizationId;
    const ids = [...new Set(executionIds)];
    const results = await withReplayer(ctx, async (replay) => {
      const answers: Array<{ executionId: number; replay?: ReturnType<typeof executionView>; problem?: { status: number; detail: string } }> = [];
      for (let i = 0; i < ids.length; i += BULK_CONCURRENCY) {
        const batch = ids.slice(i, i + BULK_CONCURRENCY);
        const outcomes = await Promise.all(batch.map((id) => replay(organizationId, id)));
        outcomes.forEach((outcome, j) => answers.push(outcome.ok ? { executionId: batch[j], replay: executionView(outcome.execution) } : { executionId: batch[j], problem: { status: outcome.status, detail: outcome.reason } }));
      }
      return answers;
    });
    res.json({ results });
  });

  router.post('/orgs/:orgId/executions/:executionId/replay', member, async (req, res) => {
    const id = parseNumericId(req.params.executionId);
    if (id === null) throw notFound('No such execution.');
    const outcome = await withReplayer(ctx, (replay) => replay(orgAccessOf(req).organizationId, id));
    if (!outcome.ok) throw problemOf(outcome);
    res.status(201).json(executionView(outcome.execution, true));
  });

  return router;
}
