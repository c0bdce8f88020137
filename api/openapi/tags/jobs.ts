import { createJobSchema, jobKeySchema, syncRequestSchema, testRequestSchema, updateJobSchema } from '../../../domain/jobs/job-definition.ts';
import { bulkReplaySchema, failedDeliveriesQuerySchema, cloneJobSchema, dailyQuerySchema, executionsExportQuerySchema, executionsQuerySchema, jobSettingsPatchSchema, jobStatsQuerySchema, jobsListQuerySchema, nextRunsQuerySchema, syncQuerySchema, validateCronSchema } from '../../../domain/jobs/requests.ts';
import { arrayOf, inputSchema, integerId, isoDateTime, nullable, object, page, ref } from '../json-schema.ts';
import { accepted, created, noContent, ok, V1, type OperationSpec, type TagSpec } from '../operation.ts';

const JOBS = `${V1}/orgs/:orgId/jobs`;
const job = ok('The job', ref('Job'));
const usage = object({ used: { type: 'integer' }, limit: nullable({ type: 'integer' }) });
const settings = object({ notifyEmail: { type: 'boolean' }, notifyWebhookUrl: nullable({ type: 'string' }), signingSecret: object({ fingerprint: { type: 'string' }, rotatedAt: isoDateTime, previousValidUntil: nullable(isoDateTime) }) });
const secret = ok('The signing secret (`Cache-Control: no-store`)', object({ signingSecret: { type: 'string', pattern: '^whsec_' } }));

/** Pause and resume are the same change of `enabled`, told to the job's actor. */
const toggle = (action: 'pause' | 'resume', summary: string): OperationSpec => ({ method: 'post', path: `${JOBS}/:jobId/${action}`, summary, auth: 'member', success: job, problems: [404, 503] });

export const jobsTag: TagSpec = {
  name: 'jobs',
  description: "Cron jobs: signed HTTP requests on a schedule, each run by its actor. Any member or the organization's API key; settings changes need an owner or admin signed in.",
  operations: [
    { method: 'post', path: `${V1}/cron/validate`, summary: 'Check a cron expression and show its next fire times', auth: 'member', body: validateCronSchema, success: ok('Whether it is valid, and its next runs', { type: 'object' }) },
    { method: 'get', path: JOBS, summary: "The organization's jobs, searched, filtered and sorted, each with its last run", auth: 'member', query: jobsListQuerySchema, success: ok('A page of jobs', page(ref('Job'))) },
    {
      method: 'get',
      path: `${JOBS}/stats`,
      summary: "The organization's job figures: the last hours by the hour, runs since the viewer's midnight, jobs needing attention",
      auth: 'member',
      query: jobStatsQuerySchema,
      success: ok(
        'Figures',
        object({
          totalJobs: { type: 'integer' },
          activeJobs: { type: 'integer' },
          failures24h: { type: 'integer' },
          runsToday: { type: 'integer' },
          successRate24h: nullable({ type: 'number' }),
          hourly: arrayOf(object({ hour: isoDateTime, succeeded: { type: 'integer' }, failed: { type: 'integer' } })),
          attention: arrayOf(object({ jobId: integerId, name: { type: 'string' }, reason: { type: 'string', enum: ['failing', 'disabled_by_failures'] }, consecutiveFailures: { type: 'integer' } })),
          recent: arrayOf(ref('Execution')),
        }),
      ),
    },
    { method: 'post', path: JOBS, summary: 'Create a job (`key` made from the name when absent)', auth: 'member', body: createJobSchema, success: created('The job', ref('Job')), problems: [402, 409, 503] },
    {
      method: 'post',
      path: `${JOBS}/test_request`,
      summary: 'Send the request a job would send, once, now, before saving it (signed, `X-Pulseboard-Test: true`; nothing recorded)',
      auth: 'member',
      body: testRequestSchema,
      success: ok(
        'What came back: the status, time, headers and the first 1,024 bytes of the body; or why nothing did',
        {
          type: 'object',
          required: ['outcome', 'durationMs'],
          properties: {
            outcome: { type: 'string', enum: ['response', 'timeout', 'network_error', 'refused'] },
            durationMs: { type: 'integer' },
            statusCode: { type: 'integer', description: 'With `response`' },
            headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'With `response`' },
            body: { type: 'string', description: 'With `response`: its first 1,024 bytes' },
            bodyTruncated: { type: 'boolean', description: 'With `response`' },
            error: { type: 'string', description: 'Without a response: why' },
          },
        },
      ),
    },
    { method: 'get', path: `${JOBS}/key/:key`, summary: 'A job by its key', auth: 'member', params: { key: inputSchema(jobKeySchema) }, success: job },
    { method: 'get', path: `${JOBS}/:jobId`, summary: 'One job', auth: 'member', success: job },
    { method: 'patch', path: `${JOBS}/:jobId`, summary: 'Change a job (validated whole; revision + 1)', auth: 'member', body: updateJobSchema, success: job, problems: [409, 503] },
    { method: 'delete', path: `${JOBS}/:jobId`, summary: 'Delete a job and its executions', auth: 'member', success: noContent('Deleted'), problems: [503] },
    { method: 'post', path: `${JOBS}/:jobId/clone`, summary: 'Copy a job', auth: 'member', body: cloneJobSchema, success: created('The copy', ref('Job')), problems: [402, 409, 503] },
    toggle('pause', 'Pause a job'),
    toggle('resume', 'Resume a job (fires during the pause are not caught up)'),
    { method: 'post', path: `${JOBS}/:jobId/trigger`, summary: 'Run a job now, also when paused', auth: 'member', success: accepted('The run was asked for', object({ runId: { type: 'string' } })), problems: [429, 503] },
    { method: 'get', path: `${JOBS}/:jobId/executions`, summary: "A job's executions, newest first", auth: 'member', query: executionsQuerySchema, success: ok('A page of executions', page(ref('Execution'))) },
    {
      method: 'get',
      path: `${JOBS}/:jobId/executions/export`,
      summary: "A job's whole history (filtered as the list), newest first: `format=csv` (with a header row) or `ndjson` (default), as an attachment",
      auth: 'member',
      query: executionsExportQuerySchema,
      success: ok('text/csv or application/x-ndjson: id, runId, attempt, trigger, status, scheduledFor, startedAt, finishedAt, durationMs, latenessMs, statusCode, error'),
    },
    { method: 'get', path: `${JOBS}/:jobId/executions/:executionId`, summary: 'One execution with its response headers and body', auth: 'member', success: ok('The execution', ref('Execution')) },
    {
      method: 'get',
      path: `${JOBS}/:jobId/daily`,
      summary: "A job's succeeded and failed executions per day, in the viewer's days, today last",
      auth: 'member',
      query: dailyQuerySchema,
      success: ok('One entry a day', arrayOf(object({ date: { type: 'string', format: 'date' }, succeeded: { type: 'integer' }, failed: { type: 'integer' }, total: { type: 'integer' } }))),
    },
    {
      method: 'get',
      path: `${JOBS}/:jobId/next_runs`,
      summary: "The next fire times and the actor's state",
      auth: 'member',
      query: nextRunsQuerySchema,
      success: ok('Next runs', object({ jobId: integerId, timezone: { type: 'string' }, nextRuns: arrayOf(isoDateTime), state: nullable({ type: 'object' }) })),
      problems: [503],
    },
    {
      method: 'put',
      path: `${V1}/orgs/:orgId/sync`,
      summary: "Make the organization's jobs these, in one transaction",
      auth: 'member',
      query: syncQuerySchema,
      body: syncRequestSchema,
      success: ok('What changed per key', object({ jobs: arrayOf(object({ key: { type: 'string' }, action: { type: 'string', enum: ['created', 'updated', 'deleted', 'unchanged'] } })) })),
      problems: [402, 503],
    },
    { method: 'get', path: `${V1}/orgs/:orgId/usage`, summary: "The plan and this month's usage", auth: 'member', success: ok('Usage', object({ plan: { type: 'string' }, month: { type: 'string' }, jobs: usage, executions: usage })) },
    {
      method: 'get',
      path: `${V1}/orgs/:orgId/billing`,
      summary: "The jobs plan, this month's usage against it, the Lemon Squeezy checkout to upgrade (free plan, when configured), and what moving to free would stop (pro plan)",
      auth: 'member',
      success: ok(
        'Billing',
        object({
          plan: { type: 'string' },
          month: { type: 'string', format: 'date' },
          usage: object({ jobs: usage, executions: usage }),
          plans: { type: 'object', additionalProperties: object({ jobs: nullable({ type: 'integer' }), executionsPerMonth: { type: 'integer' }, minIntervalSeconds: { type: 'integer' }, historyDays: { type: 'integer' } }) },
          checkoutUrl: nullable({ type: 'string', format: 'uri' }),
          downgrade: nullable(
            object({
              plan: { type: 'string' },
              overJobLimit: arrayOf(object({ id: integerId, name: { type: 'string' } })),
              tooFrequent: arrayOf(object({ id: integerId, name: { type: 'string' }, shortestSeconds: { type: 'number' } })),
              executionsOver: { type: 'integer' },
            }),
          ),
        }),
      ),
    },
    {
      method: 'get',
      path: `${V1}/orgs/:orgId/failed_deliveries`,
      summary: "The organization's dead letters, newest first: runs whose last attempt failed, each with its latest replay",
      auth: 'member',
      query: failedDeliveriesQuerySchema,
      success: ok('A page of failed deliveries', page({ allOf: [ref('Execution'), object({ jobName: { type: 'string' }, lastReplay: nullable(object({ id: integerId, status: { type: 'string' } })) })] })),
    },
    {
      method: 'post',
      path: `${V1}/orgs/:orgId/executions/replay`,
      summary: 'Replay up to 50 failed deliveries (as one replay each); every one answers on its own',
      auth: 'member',
      body: bulkReplaySchema,
      success: ok(
        'One result per execution: its replay, or the problem that kept it from being sent (404, 409, 429)',
        object({ results: arrayOf({ type: 'object', required: ['executionId'], properties: { executionId: integerId, replay: ref('Execution'), problem: object({ status: { type: 'integer' }, detail: { type: 'string' } }) } }) }),
      ),
      problems: [503],
    },
    {
      method: 'post',
      path: `${V1}/orgs/:orgId/executions/:executionId/replay`,
      summary: "Send a failed delivery's request again, freshly signed, as a new execution linked to it (`replayOf`; header `X-Pulseboard-Replay-Of`)",
      description: 'One attempt, judged by the job\'s expected response, counted against the month. The history keeps 2,048 characters of a body: a longer one is sent from the job while its body still begins with the recorded part, else 409.',
      auth: 'member',
      success: created('The replay, finished', ref('Execution')),
      problems: [404, 409, 429, 503],
    },
    { method: 'get', path: `${V1}/orgs/:orgId/job_settings`, summary: "Failure notification targets and the signing secret's fingerprint", auth: 'member', success: ok('Settings', settings) },
    { method: 'patch', path: `${V1}/orgs/:orgId/job_settings`, summary: 'Change the notification targets (owner, admin; not an API key)', auth: 'user', body: jobSettingsPatchSchema, success: ok('Settings', settings) },
    { method: 'post', path: `${V1}/orgs/:orgId/job_settings/signing_secret/reveal`, summary: 'Reveal the signing secret (audited; owner, admin; not an API key)', auth: 'user', success: secret },
    {
      method: 'post',
      path: `${V1}/orgs/:orgId/job_settings/signing_secret/rotate`,
      summary: 'Rotate the signing secret; requests carry a signature with the old one too for 24 hours',
      auth: 'user',
      success: ok('The new signing secret (`Cache-Control: no-store`)', object({ signingSecret: { type: 'string', pattern: '^whsec_' }, previousValidUntil: nullable(isoDateTime) })),
    },
  ],
};
