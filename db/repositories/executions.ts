import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { ExecutionStatus, RunTrigger } from '../../domain/jobs/execution-status.ts';

type Queryable = Db | Knex.Transaction;

export interface ExecutionRow {
  id: number;
  job_id: number;
  organization_id: number;
  run_id: string;
  attempt: number;
  trigger: RunTrigger;
  status: ExecutionStatus;
  scheduled_for: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  lateness_ms: number | null;
  status_code: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  error: string | null;
  /** What the attempt sent (signature cut to its `t=` part, body to an excerpt); null when it sent nothing. */
  request_method: string | null;
  request_url: string | null;
  request_headers: Record<string, string> | null;
  request_body: string | null;
  /** The execution this one replays (null for any other run). */
  replay_of: number | null;
  created_at: Date;
}

/** Attempts that started: what "last run" and "recent runs" mean (pending retries and unrun fires are not runs). */
export const RAN_STATUSES: ExecutionStatus[] = ['running', 'success', 'failed', 'timeout'];

export interface ExecutionKey {
  jobId: number;
  organizationId: number;
  runId: string;
  attempt: number;
  trigger: RunTrigger;
  scheduledFor: Date;
}

function keyColumns(key: ExecutionKey) {
  return { job_id: key.jobId, organization_id: key.organizationId, run_id: key.runId, attempt: key.attempt, trigger: key.trigger, scheduled_for: key.scheduledFor };
}

const keyOf = (row: { job_id: number; run_id: string; attempt: number }) => `${row.job_id}/${row.run_id}/${row.attempt}`;

/**
 * Claims attempts: each is marked running by exactly one caller, who then sends it. A row is made,
 * or a pending one (a retry waiting for its time) taken; a row someone else already claimed is
 * not, nor a second run for a fire's scheduled time (one_fire index): those are `claimed: false`,
 * with the row that holds the attempt, to wait for and not to send again. `fresh`: a row made here
 * (counted against the plan). One statement for many; answers in the order asked.
 */
export type Claim = { row: ExecutionRow; fresh: boolean; claimed: true } | { row: ExecutionRow | undefined; fresh: false; claimed: false };

// Lateness is clamped to what an int holds (24 days): a one-time job run long after its time (runIfPast) is years late.
export async function startAttempts(db: Queryable, keys: Array<ExecutionKey & { request?: Omit<SentRequest, 'sentAt'> }>): Promise<Claim[]> {
  if (keys.length === 0) return [];
  const input = keys.map((key) => ({
    ...keyColumns(key),
    request_method: key.request?.method ?? null,
    request_url: key.request?.url ?? null,
    request_headers: key.request?.headers ?? null,
    request_body: key.request?.body ?? null,
  }));
  const result = await db.raw<{ rows: Array<ExecutionRow & { fresh: boolean }> }>(
    `with x as (
       select distinct on (job_id, run_id, attempt) * from jsonb_to_recordset(?::jsonb)
         as x(job_id bigint, organization_id bigint, run_id text, attempt int, trigger text, scheduled_for timestamptz,
              request_method text, request_url text, request_headers jsonb, request_body text)
       order by job_id, run_id, attempt),
     taken as (
       update job_executions e set status = 'running', started_at = clock_timestamp(),
              request_method = x.request_method, request_url = x.request_url, request_headers = x.request_headers, request_body = x.request_body,
              lateness_ms = least(2147483647, greatest(0, extract(epoch from clock_timestamp() - e.scheduled_for) * 1000))::int
       from x where e.job_id = x.job_id and e.run_id = x.run_id and e.attempt = x.attempt and e.status = 'pending'
       returning e.*, false as fresh),
     made as (
       insert into job_executions (job_id, organization_id, run_id, attempt, trigger, scheduled_for, status, started_at, lateness_ms,
                                   request_method, request_url, request_headers, request_body)
       select job_id, organization_id, run_id, attempt, trigger, scheduled_for, 'running', clock_timestamp(),
              least(2147483647, greatest(0, extract(epoch from clock_timestamp() - scheduled_for) * 1000))::int,
              request_method, request_url, request_headers, request_body
       from x where not exists (select 1 from job_executions e where e.job_id = x.job_id and e.run_id = x.run_id and e.attempt = x.attempt)
       order by job_id, run_id, attempt
       on conflict do nothing
       returning *, true as fresh)
     select * from taken union all select * from made`,
    [JSON.stringify(input)],
  );
  const claimed = new Map(result.rows.map((row) => [keyOf(row), row]));
  const holders = await holdersOf(db, keys.filter((key) => !claimed.has(keyOf(keyColumns(key)))));
  const answered = new Set<string>();
  return keys.map((key) => {
    const k = keyOf(keyColumns(key));
    const mine = claimed.get(k);
    // The same attempt asked twice in one batch is claimed by the first ask only.
    if (mine && !answered.has(k)) {
      answered.add(k);
      const { fresh, ...row } = mine;
      return { row, fresh, claimed: true };
    }
    return { row: mine ?? holders.get(k), fresh: false, claimed: false };
  });
}

/** The rows holding attempts that were claimed elsewhere: the attempt's own, or the run that has the fire's scheduled time. */
async function holdersOf(db: Queryable, keys: ExecutionKey[]): Promise<Map<string, ExecutionRow>> {
  const holders = new Map<string, ExecutionRow>();
  for (const key of keys) {
    const own = await db<ExecutionRow>('job_executions').where({ job_id: key.jobId, run_id: key.runId, attempt: key.attempt }).first();
    const row = own ?? (await db<ExecutionRow>('job_executions').where({ job_id: key.jobId, scheduled_for: key.scheduledFor, attempt: 1 }).whereNot('trigger', 'manual').orderBy('id').first());
    if (row) holders.set(keyOf(keyColumns(key)), row);
  }
  return holders;
}

/** An attempt's row as it is now (undefined once deleted with its job). */
export async function findExecution(db: Queryable, id: number): Promise<ExecutionRow | undefined> {
  return db<ExecutionRow>('job_executions').where({ id }).first();
}

/** Gives up on an attempt whose sender stopped before recording the answer: failed, unless it was recorded meanwhile. */
export async function abandonAttempt(db: Queryable, id: number, error: string): Promise<ExecutionRow | undefined> {
  const [row] = await db<ExecutionRow>('job_executions').where({ id, status: 'running' }).update({ status: 'failed', finished_at: db.fn.now(), error }).returning('*');
  return row ?? findExecution(db, id);
}

/** The request an attempt sent, as its history shows it. */
export interface SentRequest {
  /** When it left: the attempt's start, and what its lateness is measured by (the row is made a little before). */
  sentAt: Date;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface AttemptFinish {
  status: Extract<ExecutionStatus, 'success' | 'failed' | 'timeout' | 'skipped'>;
  durationMs: number | null;
  statusCode: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  error: string | null;
  request: SentRequest | null;
}

/** Records how attempts ended, one statement for many; a row deleted meanwhile (with its job) is not in the answer. */
export async function finishAttempts(db: Queryable, finishes: Array<{ id: number; finish: AttemptFinish }>): Promise<Map<number, ExecutionRow>> {
  if (finishes.length === 0) return new Map();
  const input = finishes
    .map(({ id, finish }) => ({
      id,
      status: finish.status,
      duration_ms: finish.durationMs,
      status_code: finish.statusCode,
      response_headers: finish.responseHeaders,
      response_body: finish.responseBody,
      error: finish.error,
      sent_at: finish.request?.sentAt ?? null,
      request_method: finish.request?.method ?? null,
      request_url: finish.request?.url ?? null,
      request_headers: finish.request?.headers ?? null,
      request_body: finish.request?.body ?? null,
    }))
    .sort((a, b) => a.id - b.id);
  const result = await db.raw<{ rows: ExecutionRow[] }>(
    `update job_executions e
     set status = x.status, finished_at = clock_timestamp(), duration_ms = x.duration_ms, status_code = x.status_code,
         started_at = coalesce(x.sent_at, e.started_at),
         lateness_ms = case when x.sent_at is null then e.lateness_ms else least(2147483647, greatest(0, extract(epoch from x.sent_at - e.scheduled_for) * 1000))::int end,
         response_headers = x.response_headers, response_body = x.response_body, error = x.error,
         request_method = x.request_method, request_url = x.request_url, request_headers = x.request_headers, request_body = x.request_body
     from jsonb_to_recordset(?::jsonb) as x(id bigint, status text, duration_ms int, status_code int, sent_at timestamptz, response_headers jsonb, response_body text,
                                            error text, request_method text, request_url text, request_headers jsonb, request_body text)
     where e.id = x.id
     returning e.*`,
    [JSON.stringify(input)],
  );
  return new Map(result.rows.map((row) => [row.id, row]));
}

/** The first attempts that exist among these runs of a job, by run id: what a retried window already began. */
export async function firstAttemptsOf(db: Queryable, jobId: number, runIds: string[]): Promise<Map<string, Pick<ExecutionRow, 'id' | 'status' | 'status_code'>>> {
  const rows: Array<Pick<ExecutionRow, 'id' | 'run_id' | 'status' | 'status_code'>> = await db('job_executions')
    .where({ job_id: jobId, attempt: 1 })
    .whereIn('run_id', runIds)
    .select('id', 'run_id', 'status', 'status_code');
  return new Map(rows.map(({ run_id, ...row }) => [run_id, row]));
}

/** A retry waiting for its time: shown as pending until the attempt starts. */
export async function insertPendingAttempt(db: Queryable, key: ExecutionKey): Promise<ExecutionRow | undefined> {
  const rows: ExecutionRow[] = await db('job_executions')
    .insert({ ...keyColumns(key), status: 'pending' })
    .onConflict(['job_id', 'run_id', 'attempt'])
    .ignore()
    .returning('*');
  return rows[0];
}

/** Fires that will not run (missed, skipped): recorded, never silently lost. Idempotent by run id. */
export async function insertUnrunFires(db: Queryable, fires: Array<ExecutionKey & { status: 'missed' | 'skipped'; error: string }>): Promise<ExecutionRow[]> {
  if (fires.length === 0) return [];
  return db('job_executions')
    .insert(fires.map((fire) => ({ ...keyColumns(fire), status: fire.status, error: fire.error, finished_at: db.fn.now() })))
    // Nor is a fire's scheduled time recorded twice (one_fire index): whichever run came first keeps it.
    .onConflict()
    .ignore()
    .returning('*');
}

export interface ExecutionFilter {
  status?: ExecutionStatus[];
  from?: Date;
  to?: Date;
  runId?: string;
  limit: number;
  offset: number;
}

/** The organization's latest runs, newest first, with their job's name (the dashboard's list). */
export async function recentRuns(db: Queryable, organizationId: number, limit: number): Promise<Array<ExecutionRow & { job_name: string }>> {
  return db('job_executions as e')
    .join('jobs', 'jobs.id', 'e.job_id')
    .where('e.organization_id', organizationId)
    .whereIn('e.status', RAN_STATUSES)
    .orderBy([{ column: 'e.scheduled_for', order: 'desc' }, { column: 'e.id', order: 'desc' }])
    .limit(limit)
    .select('e.*', 'jobs.name as job_name');
}

/** Newest first. `from`/`to` bound the scheduled time. */
export async function listExecutions(db: Queryable, jobId: number, filter: ExecutionFilter): Promise<{ items: ExecutionRow[]; total: number }> {
  const base = db<ExecutionRow>('job_executions').where({ job_id: jobId });
  if (filter.status?.length) base.whereIn('status', filter.status);
  if (filter.from) base.where('scheduled_for', '>=', filter.from);
  if (filter.to) base.where('scheduled_for', '<', filter.to);
  if (filter.runId) base.where('run_id', filter.runId);
  const [items, [{ count }]] = await Promise.all([
    base.clone().orderBy([{ column: 'scheduled_for', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit).offset(filter.offset),
    base.clone().count<{ count: string }[]>({ count: '*' }),
  ]);
  return { items, total: Number(count) };
}
