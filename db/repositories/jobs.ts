import type { Knex } from 'knex';
import { containsPattern } from '../like-pattern.ts';
import type { ExpectedResponse } from '../../domain/jobs/expected-response.ts';
import type { JobNotifications } from '../../domain/jobs/job-notifications.ts';
import type { Db } from '../connection.ts';
import { toJobSchedule, type JobInput, type RetryPolicy, type ScheduleInput } from '../../domain/jobs/job-definition.ts';
import type { CronJobDefinition } from '../../domain/jobs/actor-definition.ts';
import type { ExecutionStatus } from '../../domain/jobs/execution-status.ts';
import { RAN_STATUSES } from './executions.ts';

type Queryable = Db | Knex.Transaction;

export interface JobRow {
  id: number;
  organization_id: number;
  key: string;
  name: string;
  url: string;
  method: JobInput['method'];
  headers: Record<string, string>;
  body: string | null;
  schedule: ScheduleInput;
  timezone: string;
  enabled: boolean;
  timeout_ms: number;
  retry: RetryPolicy;
  overlap_policy: JobInput['overlapPolicy'];
  catch_up_policy: JobInput['catchUpPolicy'];
  disable_after_failures: number;
  expected_response: ExpectedResponse;
  notifications: JobNotifications;
  consecutive_failures: number;
  disabled_reason: string | null;
  revision: number;
  last_fire_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function jobInputOf(row: JobRow): JobInput {
  return {
    key: row.key,
    name: row.name,
    url: row.url,
    method: row.method,
    headers: row.headers,
    body: row.body,
    schedule: row.schedule,
    timezone: row.timezone,
    enabled: row.enabled,
    timeoutMs: row.timeout_ms,
    retry: row.retry,
    overlapPolicy: row.overlap_policy,
    catchUpPolicy: row.catch_up_policy,
    disableAfterFailures: row.disable_after_failures,
    expectedResponse: row.expected_response,
    notifications: row.notifications,
  };
}

/** The part of a job its actor schedules by, as loaded at start and sent with every definition-changed signal. */
export function actorDefinitionOf(row: JobRow): CronJobDefinition {
  const input = jobInputOf(row);
  return {
    jobId: row.id,
    organizationId: row.organization_id,
    revision: row.revision,
    schedule: toJobSchedule(input.schedule, input.timezone),
    enabled: input.enabled,
    retry: input.retry,
    overlapPolicy: input.overlapPolicy,
    catchUpPolicy: input.catchUpPolicy,
    disableAfterFailures: input.disableAfterFailures,
  };
}

function columnsOf(job: JobInput) {
  return {
    key: job.key,
    name: job.name,
    url: job.url,
    method: job.method,
    headers: JSON.stringify(job.headers),
    body: job.body,
    schedule: JSON.stringify(job.schedule),
    timezone: job.timezone,
    enabled: job.enabled,
    timeout_ms: job.timeoutMs,
    retry: JSON.stringify(job.retry),
    overlap_policy: job.overlapPolicy,
    catch_up_policy: job.catchUpPolicy,
    disable_after_failures: job.disableAfterFailures,
    expected_response: JSON.stringify(job.expectedResponse),
    notifications: JSON.stringify(job.notifications),
  };
}

/** undefined when the key is taken in this organization. */
export async function insertJob(db: Queryable, organizationId: number, job: JobInput): Promise<JobRow | undefined> {
  const rows: JobRow[] = await db('jobs')
    .insert({ organization_id: organizationId, ...columnsOf(job) })
    .onConflict(['organization_id', 'key'])
    .ignore()
    .returning('*');
  return rows[0];
}

/**
 * Writes the whole definition and bumps the revision. Enabling a job clears its failure streak
 * and the reason it was disabled: a person turning it back on starts it afresh.
 */
export async function updateJob(db: Queryable, organizationId: number, id: number, job: JobInput): Promise<JobRow | undefined> {
  const rows: JobRow[] = await db('jobs')
    .where({ organization_id: organizationId, id })
    .update({
      ...columnsOf(job),
      revision: db.raw('revision + 1'),
      updated_at: db.fn.now(),
      consecutive_failures: job.enabled ? db.raw('case when enabled then consecutive_failures else 0 end') : db.raw('consecutive_failures'),
      disabled_reason: job.enabled ? null : db.raw('disabled_reason'),
    })
    .returning('*');
  return rows[0];
}

export async function deleteJob(db: Queryable, organizationId: number, id: number): Promise<JobRow | undefined> {
  const rows: JobRow[] = await db('jobs').where({ organization_id: organizationId, id }).delete().returning('*');
  return rows[0];
}

export async function findJob(db: Queryable, organizationId: number, id: number): Promise<JobRow | undefined> {
  return db<JobRow>('jobs').where({ organization_id: organizationId, id }).first();
}

export async function findJobByKey(db: Queryable, organizationId: number, key: string): Promise<JobRow | undefined> {
  return db<JobRow>('jobs').where({ organization_id: organizationId, key }).first();
}

export async function findJobById(db: Queryable, id: number): Promise<JobRow | undefined> {
  return db<JobRow>('jobs').where({ id }).first();
}

export interface JobListFilter {
  /** Words that must all appear in the name, URL or key. */
  q?: string;
  enabled?: boolean;
  health?: 'healthy' | 'failing' | 'disabled';
  sort: 'newest' | 'name' | 'last_run';
  limit: number;
  offset: number;
}

/** A listed job with its latest execution that ran (manual ones too); null status when none has. */
export type ListedJobRow = JobRow & { last_run_status: ExecutionStatus | null; last_run_at: Date | null };


const SORTS: Record<JobListFilter['sort'], string> = {
  newest: 'jobs.id desc',
  name: 'lower(jobs.name), jobs.id',
  last_run: 'last_run.started_at desc nulls last, jobs.id desc',
};

export async function listJobs(db: Queryable, organizationId: number, filter: JobListFilter): Promise<{ items: ListedJobRow[]; total: number }> {
  const base = db<JobRow>('jobs').where('jobs.organization_id', organizationId);
  for (const word of filter.q?.split(/\s+/).filter(Boolean) ?? []) base.whereRaw("(jobs.name || ' ' || jobs.url || ' ' || jobs.key) ilike ?", [containsPattern(word)]);
  if (filter.enabled !== undefined) base.where('jobs.enabled', filter.enabled);
  // A job that turned itself off is "disabled" whatever its streak; a person's pause keeps its health.
  if (filter.health === 'disabled') base.whereNotNull('jobs.disabled_reason');
  else if (filter.health) base.whereNull('jobs.disabled_reason').where('jobs.consecutive_failures', filter.health === 'failing' ? '>' : '=', 0);
  const [items, [{ count }]] = await Promise.all([
    base
      .clone()
      .joinRaw(
        `left join lateral (
           select e.status, e.started_at from job_executions e
           where e.job_id = jobs.id and e.status = any(?)
           order by e.scheduled_for desc, e.id desc limit 1
         ) last_run on true`,
        [RAN_STATUSES],
      )
      .select('jobs.*', 'last_run.status as last_run_status', 'last_run.started_at as last_run_at')
      .orderByRaw(SORTS[filter.sort])
      .limit(filter.limit)
      .offset(filter.offset),
    base.clone().count<{ count: string }[]>({ count: '*' }),
  ]);
  return { items: items as ListedJobRow[], total: Number(count) };
}

/** Every job of the organization, locked: PUT /sync compares and writes them in one transaction. */
export async function lockJobsOf(trx: Knex.Transaction, organizationId: number): Promise<JobRow[]> {
  return trx<JobRow>('jobs').where({ organization_id: organizationId }).orderBy('id').forUpdate();
}

/** Every job of the organization, oldest first (the billing page weighs them against another plan). */
export async function jobsOfOrganization(db: Queryable, organizationId: number): Promise<JobRow[]> {
  return db<JobRow>('jobs').where({ organization_id: organizationId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
}

export async function countJobs(db: Queryable, organizationId: number): Promise<number> {
  const [{ count }] = await db('jobs').where({ organization_id: organizationId }).count<{ count: string }[]>({ count: '*' });
  return Number(count);
}

/** Jobs that must have a running actor (ensureJobActors). */
export async function listEnabledJobIds(db: Queryable): Promise<number[]> {
  return db('jobs').where({ enabled: true }).orderBy('id').pluck('id');
}

/** Pause and resume from the actor's API: only the flag and the revision change. */
export async function setJobEnabled(db: Queryable, organizationId: number, id: number, enabled: boolean): Promise<JobRow | undefined> {
  const current = await findJob(db, organizationId, id);
  return current && updateJob(db, organizationId, id, { ...jobInputOf(current), enabled });
}

/** A job as an attempt needs it: with its organization's plan and sealed signing secret (null until first made). */
export type AttemptJobRow = JobRow & {
  plan: string;
  signing_secret_encrypted: string | null;
  previous_signing_secret_encrypted: string | null;
  signing_secret_rotated_at: Date | null;
};

export async function findJobForAttempt(db: Queryable, id: number): Promise<AttemptJobRow | undefined> {
  return (await findJobsForAttempts(db, [id])).get(id);
}

/** What attempts need, in one read for many. */
export async function findJobsForAttempts(db: Queryable, ids: number[]): Promise<Map<number, AttemptJobRow>> {
  const rows: AttemptJobRow[] = await db('jobs')
    .join('organizations', 'organizations.id', 'jobs.organization_id')
    .leftJoin('job_org_settings', 'job_org_settings.organization_id', 'jobs.organization_id')
    .whereIn('jobs.id', [...new Set(ids)])
    .select('jobs.*', 'organizations.plan', 'job_org_settings.signing_secret_encrypted', 'job_org_settings.previous_signing_secret_encrypted', 'job_org_settings.signing_secret_rotated_at');
  return new Map(rows.map((row) => [row.id, row]));
}

/** Moves jobs' catch-up cursors forward (never back) to fires their actors handled; one statement for many. */
export async function advanceLastFires(db: Queryable, fires: Array<{ jobId: number; scheduledFor: Date }>): Promise<void> {
  if (fires.length === 0) return;
  await db.raw(
    `update jobs set last_fire_at = greatest(jobs.last_fire_at, x.at)
     from (select job_id, max(at) as at from jsonb_to_recordset(?::jsonb) as r(job_id bigint, at timestamptz) group by job_id) x
     where jobs.id = x.job_id`,
    [JSON.stringify(fires.map((f) => ({ job_id: f.jobId, at: f.scheduledFor })))],
  );
}
