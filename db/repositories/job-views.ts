import { jobInputOf, type JobRow, type ListedJobRow } from './jobs.ts';
import { describeSchedule } from '../../domain/cron/describe-cron.ts';
import type { ExecutionRow } from './executions.ts';

/** A job as the API answers it and as `org:<id>:jobs` announces it. */
export function jobView(row: JobRow) {
  const input = jobInputOf(row);
  return {
    id: row.id,
    ...input,
    /** The schedule in plain English, in the job's zone: "At 09:00, Monday through Friday, Europe/Berlin". */
    scheduleDescription: describeSchedule(input.schedule, input.timezone),
    consecutiveFailures: row.consecutive_failures,
    disabledReason: row.disabled_reason,
    revision: row.revision,
    lastFireAt: row.last_fire_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A job in the list, with its last run (manual runs included): the list shows how each did without asking per job. */
export function listedJobView(row: ListedJobRow) {
  return { ...jobView(row), lastRun: row.last_run_status && row.last_run_at ? { status: row.last_run_status, at: row.last_run_at.toISOString() } : null };
}

/** One attempt (or an unrun fire). The response body only in the detailed form: it can be 64 kB. */
export function executionView(row: ExecutionRow, detail = false) {
  return {
    id: row.id,
    jobId: row.job_id,
    runId: row.run_id,
    attempt: row.attempt,
    trigger: row.trigger,
    status: row.status,
    scheduledFor: row.scheduled_for.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.duration_ms,
    latenessMs: row.lateness_ms,
    statusCode: row.status_code,
    error: row.error,
    replayOf: row.replay_of ?? null,
    request: row.request_method ? { method: row.request_method, url: row.request_url, headers: row.request_headers, body: row.request_body } : null,
    ...(detail ? { responseHeaders: row.response_headers, responseBody: row.response_body } : {}),
  };
}

export const jobsTopic = (organizationId: number) => `org:${organizationId}:jobs`;
