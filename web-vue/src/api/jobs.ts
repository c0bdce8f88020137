/** The cron jobs API (docs/api-jobs.md): jobs, their executions, cron validation, usage and job settings. */
import type { DayCount, PlanLimits } from '../../../domain/contract.ts';
import { http } from './http';
import type { Id } from './types';

export type { DayCount, PlanLimits };

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type JobSchedule = { kind: 'cron'; expression: string } | { kind: 'once'; at: string };

export interface RetryPolicy {
  attempts: number;
  initialMs: number;
  backoffCoefficient: number;
  maxMs: number;
}

/** What a person edits; the rest of a job is the server's. */
export interface JobDefinition {
  key: string;
  name: string;
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | null;
  schedule: JobSchedule;
  timezone: string;
  enabled: boolean;
  timeoutMs: number;
  retry: RetryPolicy;
  overlapPolicy: 'skip' | 'queue';
  catchUpPolicy: 'run_once' | 'skip';
  disableAfterFailures: number;
  /** Success: one of these statuses ("2xx", "200", "200-204"), and optionally a body check. */
  /** Over the organization's targets: null follows them; webhookUrl false sends none. */
  notifications: { email: boolean | null; webhookUrl: string | false | null };
  expectedResponse: { statusCodes: string[]; bodyContains?: string; json?: { path: string; equals: string | number | boolean | null } };
}

export interface Job extends JobDefinition {
  id: Id;
  /** The schedule in plain English, in the job's zone (the server says it, with cronstrue). */
  scheduleDescription: string;
  consecutiveFailures: number;
  /** Set when the job disabled itself after failing too often. */
  disabledReason: string | null;
  revision: number;
  lastFireAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const EXECUTION_STATUSES = ['pending', 'running', 'success', 'failed', 'timeout', 'missed', 'skipped'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
/** The statuses that count against a job's success rate. */
export const FAILED_STATUSES: ExecutionStatus[] = ['failed', 'timeout'];

/** The request an attempt sent: the signature only as its `t=` part, the body's first 2,048 characters. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface Execution {
  id: Id;
  jobId: Id;
  runId: string;
  attempt: number;
  trigger: 'schedule' | 'manual' | 'catch_up' | 'replay';
  /** The execution this one replays. */
  replayOf: Id | null;
  status: ExecutionStatus;
  scheduledFor: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  latenessMs: number | null;
  statusCode: number | null;
  error: string | null;
  /** Null when the attempt sent nothing (pending, missed, skipped) or predates the recording. */
  request: SentRequest | null;
}

export interface ExecutionDetail extends Execution {
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A job as the list answers it: with its latest run that started, manual ones included. */
export interface ListedJob extends Job {
  lastRun: { status: ExecutionStatus; at: string } | null;
}

export const JOB_SORTS = ['newest', 'name', 'last_run'] as const;
export const JOB_HEALTHS = ['healthy', 'failing', 'disabled'] as const;

/** The list's search, filters and sort, all answered by the server. */
export type JobsQuery = {
  q?: string;
  enabled?: boolean;
  health?: (typeof JOB_HEALTHS)[number];
  sort?: (typeof JOB_SORTS)[number];
  page?: number;
  pageSize?: number;
};

/** The dashboard's figures, in the viewer's zone (`GET /jobs/stats`). */
export interface JobStats {
  totalJobs: number;
  activeJobs: number;
  failures24h: number;
  runsToday: number;
  /** 0 … 1; null when nothing ran. */
  successRate24h: number | null;
  hourly: HourCount[];
  attention: Array<{ jobId: Id; name: string; reason: 'failing' | 'disabled_by_failures'; consecutiveFailures: number }>;
  recent: Array<Execution & { jobName: string }>;
}

export interface HourCount {
  hour: string;
  succeeded: number;
  failed: number;
}

export interface ExecutionQuery {
  status?: ExecutionStatus[];
  /** One run's attempts. */
  runId?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface ActorState {
  phase: 'scheduled' | 'running' | 'retrying' | 'paused' | 'completed' | 'deleted';
  nextRetryAt?: string | null;
  queued?: number;
  consecutiveFailures?: number;
}

export interface NextRuns {
  jobId: Id;
  timezone: string;
  nextRuns: string[];
  /** Null when the job has no actor (it is disabled, or its one run is over). */
  state: ActorState | null;
}

export type CronCheck = { valid: true; description: string; nextRuns: string[] } | { valid: false; error: string };

export interface Usage {
  plan: string;
  month: string;
  jobs: { used: number; limit: number | null };
  executions: { used: number; limit: number | null };
}

/** `GET /billing`: the plan, this month's usage, the way up (free) and what the way down would stop (pro). */
export interface Billing {
  plan: string;
  month: string;
  usage: { jobs: Usage['jobs']; executions: Usage['executions'] };
  plans: Record<string, PlanLimits>;
  /** The Lemon Squeezy checkout for this organization; null on pro or where none is configured. */
  checkoutUrl: string | null;
  downgrade: {
    plan: string;
    overJobLimit: Array<{ id: Id; name: string }>;
    tooFrequent: Array<{ id: Id; name: string; shortestSeconds: number }>;
    executionsOver: number;
  } | null;
}

export interface JobSettings {
  notifyEmail: boolean;
  notifyWebhookUrl: string | null;
  signingSecret: { fingerprint: string; rotatedAt: string; previousValidUntil: string | null };
}

/** What a test request brought back (`POST /jobs/test_request`): the answer, or why there was none. */
export type TestRequestAnswer =
  | { outcome: 'response'; statusCode: number; durationMs: number; headers: Record<string, string>; body: string; bodyTruncated: boolean }
  | { outcome: 'timeout' | 'network_error' | 'refused'; durationMs: number; error: string };

export type TestRequest = Pick<JobDefinition, 'url' | 'method' | 'headers' | 'body' | 'timeoutMs'>;

/** A run whose last attempt failed (`GET /failed_deliveries`), with its latest replay. */
export interface FailedDelivery extends Execution {
  jobName: string;
  lastReplay: { id: Id; status: ExecutionStatus } | null;
}

export interface ReplayResult {
  executionId: Id;
  replay?: Execution;
  problem?: { status: number; detail: string };
}

const orgPath = (orgId: Id) => `/orgs/${orgId}`;
const jobPath = (orgId: Id, jobId: Id | string) => `/orgs/${orgId}/jobs/${jobId}`;

function executionParams(query: ExecutionQuery) {
  return { ...query, status: query.status?.join(',') };
}

export const jobsApi = {
  list: (orgId: Id, query: JobsQuery) => http.get<ListPage<ListedJob>>(`${orgPath(orgId)}/jobs`, query),
  stats: (orgId: Id, tz: string) => http.get<JobStats>(`${orgPath(orgId)}/jobs/stats`, { tz }),
  daily: (orgId: Id, jobId: Id, tz: string, days = 30) => http.get<DayCount[]>(`${jobPath(orgId, jobId)}/daily`, { days, tz }),
  get: (orgId: Id, jobId: Id | string) => http.get<Job>(jobPath(orgId, jobId)),
  create: (orgId: Id, definition: Partial<JobDefinition>) => http.post<Job>(`${orgPath(orgId)}/jobs`, definition),
  testRequest: (orgId: Id, request: TestRequest) => http.post<TestRequestAnswer>(`${orgPath(orgId)}/jobs/test_request`, request),
  update: (orgId: Id, jobId: Id, changes: Partial<JobDefinition>) => http.patch<Job>(jobPath(orgId, jobId), changes),
  remove: (orgId: Id, jobId: Id) => http.delete(jobPath(orgId, jobId)),
  pause: (orgId: Id, jobId: Id) => http.post<Job>(`${jobPath(orgId, jobId)}/pause`),
  resume: (orgId: Id, jobId: Id) => http.post<Job>(`${jobPath(orgId, jobId)}/resume`),
  trigger: (orgId: Id, jobId: Id) => http.post<{ runId: string }>(`${jobPath(orgId, jobId)}/trigger`),
  executions: (orgId: Id, jobId: Id, query: ExecutionQuery = {}) =>
    http.get<ListPage<Execution>>(`${jobPath(orgId, jobId)}/executions`, executionParams(query)),
  execution: (orgId: Id, jobId: Id, executionId: Id) => http.get<ExecutionDetail>(`${jobPath(orgId, jobId)}/executions/${executionId}`),
  nextRuns: (orgId: Id, jobId: Id, count = 5) => http.get<NextRuns>(`${jobPath(orgId, jobId)}/next_runs`, { count }),
  validateCron: (expression: string, timezone: string) => http.post<CronCheck>('/cron/validate', { expression, timezone }),
  usage: (orgId: Id) => http.get<Usage>(`${orgPath(orgId)}/usage`),
  failedDeliveries: (orgId: Id, page: number, pageSize: number) => http.get<ListPage<FailedDelivery>>(`${orgPath(orgId)}/failed_deliveries`, { page, pageSize }),
  replay: (orgId: Id, executionId: Id) => http.post<ExecutionDetail>(`${orgPath(orgId)}/executions/${executionId}/replay`),
  replayMany: (orgId: Id, executionIds: Id[]) => http.post<{ results: ReplayResult[] }>(`${orgPath(orgId)}/executions/replay`, { executionIds }),
  billing: (orgId: Id) => http.get<Billing>(`${orgPath(orgId)}/billing`),
  settings: (orgId: Id) => http.get<JobSettings>(`${orgPath(orgId)}/job_settings`),
  updateSettings: (orgId: Id, changes: Partial<Pick<JobSettings, 'notifyEmail' | 'notifyWebhookUrl'>>) =>
    http.patch<JobSettings>(`${orgPath(orgId)}/job_settings`, changes),
  revealSecret: (orgId: Id) => http.post<{ signingSecret: string }>(`${orgPath(orgId)}/job_settings/signing_secret/reveal`),
  rotateSecret: (orgId: Id) => http.post<{ signingSecret: string }>(`${orgPath(orgId)}/job_settings/signing_secret/rotate`),
};
