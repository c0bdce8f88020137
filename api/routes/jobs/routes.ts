import { Router, type Request } from 'express';
import type { AppContext } from '../../context.ts';
import { findJob, findJobByKey, jobInputOf, listJobs, type JobRow } from '../../../db/repositories/jobs.ts';
import { listExecutions, recentRuns } from '../../../db/repositories/executions.ts';
import { countJobs } from '../../../db/repositories/jobs.ts';
import { executionsThisMonth, planOf } from '../../../db/repositories/jobs-usage.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { createJobSchema, jobKeySchema, syncRequestSchema, testRequestSchema, updateJobSchema } from '../../../domain/jobs/job-definition.ts';
import { cloneJobSchema, dailyQuerySchema, executionsQuerySchema, jobStatsQuerySchema, jobsListQuerySchema, nextRunsQuerySchema, syncQuerySchema, validateCronSchema, executionsExportQuerySchema } from '../../../domain/jobs/requests.ts';
import { limitsOf, usageMonth } from '../../../domain/jobs/plan-limits.ts';
import { validateCron } from '../../../domain/cron/validate-cron.ts';
import { executionView, jobView, listedJobView } from '../../../db/repositories/job-views.ts';
import { dailyCounts, executionFigures, jobFigures } from '../../../db/repositories/job-stats.ts';
import { orgAccessOf, requireOrgRole } from '../../auth/middleware.ts';
import { notFound, unauthorized } from '../../http/problem.ts';
import { queryActor, schedulerOf } from './actors.ts';
import { changeJob, createJob, removeJob } from './commands.ts';
import { syncJobs } from './sync.ts';
import { triggerJob } from './trigger.ts';
import { exportExecutions } from './export.ts';
import { jobSettingsRoutes } from './settings.ts';
import { sendTestRequest } from './test-request.ts';
import { billingOverview } from './billing.ts';
import { replayRoutes } from './replays.ts';

const ALL_ROLES = ['owner', 'admin', 'member'] as const;
/** The dashboard's "recent executions" list. */
const RECENT_RUNS = 10;

/** The job in the path, in the caller's organization; anything else (another org's job, a bad id) is 404. */
async function jobInPath(ctx: AppContext, req: Request): Promise<JobRow> {
  const id = parseNumericId(req.params.jobId);
  const job = id === null ? undefined : await findJob(ctx.db, orgAccessOf(req).organizationId, id);
  if (!job) throw notFound('No such job.');
  return job;
}

/** /api/v1/orgs/:orgId/jobs…, /sync, /usage, /job_settings, and /api/v1/cron/validate. Any member or the organization's API key. */
export function jobRoutes(ctx: AppContext): Router {
  const router = Router();
  const member = requireOrgRole(ctx, ALL_ROLES, { allowApiKey: true });

  router.post('/cron/validate', (req, res) => {
    if (!req.principal) throw unauthorized();
    const { expression, timezone } = validateCronSchema.parse(req.body);
    res.json(validateCron(expression, timezone, new Date()));
  });

  router.get('/orgs/:orgId/jobs', member, async (req, res) => {
    const { page, pageSize, ...filter } = jobsListQuerySchema.parse(req.query);
    const { items, total } = await listJobs(ctx.db, orgAccessOf(req).organizationId, { ...filter, limit: pageSize, offset: (page - 1) * pageSize });
    res.json({ items: items.map(listedJobView), total, page, pageSize });
  });

  // Before /jobs/:jobId, which would take "stats" for an id.
  router.get('/orgs/:orgId/jobs/stats', member, async (req, res) => {
    const { hours, tz } = jobStatsQuerySchema.parse(req.query);
    const { organizationId } = orgAccessOf(req);
    const [executions, jobs, recent] = await Promise.all([
      executionFigures(ctx.db, organizationId, { hours, tz }),
      jobFigures(ctx.db, organizationId),
      recentRuns(ctx.db, organizationId, RECENT_RUNS),
    ]);
    const succeeded = executions.hourly.reduce((sum, h) => sum + h.succeeded, 0);
    const failures = executions.hourly.reduce((sum, h) => sum + h.failed, 0);
    res.json({
      totalJobs: jobs.totalJobs,
      activeJobs: jobs.activeJobs,
      failures24h: failures,
      runsToday: executions.runsToday,
      successRate24h: succeeded + failures ? succeeded / (succeeded + failures) : null,
      hourly: executions.hourly.map((h) => ({ ...h, hour: h.hour.toISOString() })),
      attention: jobs.attention,
      recent: recent.map((row) => ({ ...executionView(row), jobName: row.job_name })),
    });
  });

  router.post('/orgs/:orgId/jobs', member, async (req, res) => {
    const row = await createJob(ctx, orgAccessOf(req).organizationId, createJobSchema.parse(req.body));
    res.status(201).location(`${req.baseUrl}/orgs/${row.organization_id}/jobs/${row.id}`).json(jobView(row));
  });

  // Answers 200 whatever the target answered: the outcome is the content, not this call's status.
  router.post('/orgs/:orgId/jobs/test_request', member, async (req, res) => {
    res.json(await sendTestRequest(ctx, orgAccessOf(req).organizationId, testRequestSchema.parse(req.body)));
  });

  router.get('/orgs/:orgId/jobs/key/:key', member, async (req, res) => {
    const key = jobKeySchema.safeParse(req.params.key);
    const job = key.success ? await findJobByKey(ctx.db, orgAccessOf(req).organizationId, key.data) : undefined;
    if (!job) throw notFound('No job with this key.');
    res.json(jobView(job));
  });

  router.get('/orgs/:orgId/jobs/:jobId', member, async (req, res) => {
    res.json(jobView(await jobInPath(ctx, req)));
  });

  router.patch('/orgs/:orgId/jobs/:jobId', member, async (req, res) => {
    const changes = updateJobSchema.parse(req.body);
    res.json(jobView(await changeJob(ctx, await jobInPath(ctx, req), changes)));
  });

  router.delete('/orgs/:orgId/jobs/:jobId', member, async (req, res) => {
    await removeJob(ctx, await jobInPath(ctx, req));
    res.status(204).end();
  });

  router.post('/orgs/:orgId/jobs/:jobId/clone', member, async (req, res) => {
    const { key, name } = cloneJobSchema.parse(req.body ?? {});
    const source = jobInputOf(await jobInPath(ctx, req));
    const row = await createJob(ctx, orgAccessOf(req).organizationId, { ...source, key, name: name ?? `${source.name} (copy)`.slice(0, 200) });
    res.status(201).location(`${req.baseUrl}/orgs/${row.organization_id}/jobs/${row.id}`).json(jobView(row));
  });

  for (const [action, enabled] of [['pause', false], ['resume', true]] as const) {
    router.post(`/orgs/:orgId/jobs/:jobId/${action}`, member, async (req, res) => {
      res.json(jobView(await changeJob(ctx, await jobInPath(ctx, req), { enabled })));
    });
  }

  router.post('/orgs/:orgId/jobs/:jobId/trigger', member, async (req, res) => {
    res.status(202).json(await triggerJob(ctx, await jobInPath(ctx, req)));
  });

  router.get('/orgs/:orgId/jobs/:jobId/executions', member, async (req, res) => {
    const { page, pageSize, ...filter } = executionsQuerySchema.parse(req.query);
    const job = await jobInPath(ctx, req);
    const { items, total } = await listExecutions(ctx.db, job.id, { ...filter, limit: pageSize, offset: (page - 1) * pageSize });
    res.json({ items: items.map((row) => executionView(row)), total, page, pageSize });
  });

  // Before /executions/:executionId, which would take "export" for an id.
  router.get('/orgs/:orgId/jobs/:jobId/executions/export', member, async (req, res) => {
    const { format, ...filter } = executionsExportQuerySchema.parse(req.query);
    await exportExecutions(ctx, await jobInPath(ctx, req), filter, format, res);
  });

  router.get('/orgs/:orgId/jobs/:jobId/executions/:executionId', member, async (req, res) => {
    const job = await jobInPath(ctx, req);
    const id = parseNumericId(req.params.executionId);
    const row = id === null ? undefined : await ctx.db('job_executions').where({ id, job_id: job.id }).first();
    if (!row) throw notFound('No such execution.');
    res.json(executionView(row, true));
  });

  router.get('/orgs/:orgId/jobs/:jobId/daily', member, async (req, res) => {
    const { days, tz } = dailyQuerySchema.parse(req.query);
    const job = await jobInPath(ctx, req);
    res.json(await dailyCounts(ctx.db, job.id, { days, tz }));
  });

  router.get('/orgs/:orgId/jobs/:jobId/next_runs', member, async (req, res) => {
    const { count } = nextRunsQuerySchema.parse(req.query);
    const job = await jobInPath(ctx, req);
    const state = await queryActor(schedulerOf(ctx), job.id, count);
    res.json({ jobId: job.id, timezone: job.timezone, nextRuns: state?.nextRuns ?? [], state });
  });

  router.put('/orgs/:orgId/sync', member, async (req, res) => {
    const { delete_missing: deleteMissing } = syncQuerySchema.parse(req.query);
    const { jobs } = syncRequestSchema.parse(req.body);
    res.json({ jobs: await syncJobs(ctx, orgAccessOf(req).organizationId, jobs, deleteMissing) });
  });

  router.get('/orgs/:orgId/usage', member, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const month = usageMonth(new Date());
    const [plan, jobs, executions] = await Promise.all([planOf(ctx.db, organizationId), countJobs(ctx.db, organizationId), executionsThisMonth(ctx.db, organizationId, month)]);
    const limits = limitsOf(plan);
    res.json({ plan, month, jobs: { used: jobs, limit: limits.jobs }, executions: { used: executions, limit: limits.executionsPerMonth } });
  });

  router.get('/orgs/:orgId/billing', member, async (req, res) => {
    res.json(await billingOverview(ctx, orgAccessOf(req).organizationId));
  });

  router.use(jobSettingsRoutes(ctx));
  router.use(replayRoutes(ctx));
  return router;
}
