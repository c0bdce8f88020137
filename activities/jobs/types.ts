import type { CronJobDefinition } from '../../domain/jobs/actor-definition.ts';
import type { RunTrigger } from '../../domain/jobs/execution-status.ts';
import type { ReplayOutcome, ReplayRequest } from './replay-execution.ts';
import type { NotificationKind } from '../../domain/jobs/notification-message.ts';
import type { JobSchedule } from '../../domain/cron/schedule.ts';
import type { OverlapPolicy } from '../../domain/jobs/job-definition.ts';

export interface LoadedCronJob {
  definition: CronJobDefinition;
  /** ISO: the scheduled time of the last fire handled, or when the job was created. */
  cursor: string;
  consecutiveFailures: number;
}

export interface AttemptRequest {
  jobId: number;
  runId: string;
  attempt: number;
  /** ISO: the fire time for a first attempt, the retry time for later ones (lateness is measured against it). */
  scheduledFor: string;
  trigger: RunTrigger;
}

export interface AttemptResult {
  /**
   * success / fail_now / retry: see classifyResponse; skipped: over the plan's monthly limit (recorded,
   * not a failure); gone: the job was deleted meanwhile.
   */
  outcome: 'success' | 'fail_now' | 'retry' | 'skipped' | 'gone';
  executionId: number | null;
  statusCode: number | null;
  /** The response's Retry-After header, for the next attempt's delay. */
  retryAfter: string | null;
  error: string | null;
}

/**
 * Upcoming fires of a job handed to one activity, which sends each at its time: a busy schedule
 * then costs its actor one round trip per window instead of a timer, two tasks and an activity per fire.
 */
export interface FireWindow {
  jobId: number;
  /** The job's revision the fires were planned for: a job changed since (edited, paused) ends the window. */
  revision: number;
  /** For fires that come while the window's previous fire is still going. */
  overlapPolicy: OverlapPolicy;
  /** Scheduled fires, earliest first; each is the first attempt of its run. */
  fires: Array<{ runId: string; scheduledFor: string }>;
}

export interface FireWindowResult {
  /** How many fires, from the first, were handled (sent, or recorded as skipped); the rest never started. */
  handled: number;
  /**
   * The last handled fire's result (null when it was skipped as an overlap): anything but a
   * success or a skip over the plan's limit ends the window, for the actor to decide on.
   */
  last: AttemptResult | null;
  /** The job's revision in the database, when it ended the window by being newer than the window's. */
  changedRevision: number | null;
}

/** A fire that will not run: `missed` while the actor was down, `skipped` by the overlap policy. */
export interface UnrunFire {
  runId: string;
  scheduledFor: string;
  status: 'missed' | 'skipped';
  trigger: RunTrigger;
  reason: string;
}

export interface RunOutcome {
  jobId: number;
  runId: string;
  succeeded: boolean;
  /** Why the run failed, for the notification. */
  error: string | null;
}

export interface RunOutcomeResult {
  consecutiveFailures: number;
  /** The job just disabled itself (the streak reached its limit). */
  disabled: boolean;
  /** What to tell the organization: the first failure of a streak, a recovery, or the job disabling itself. */
  notify: NotificationKind | null;
}

export interface JobNotification {
  jobId: number;
  runId: string;
  kind: NotificationKind;
  consecutiveFailures: number;
  error: string | null;
}

export interface FirePlanRequest {
  schedule: JobSchedule;
  /** ISO: the last fire handled. */
  cursor: string;
  /** ISO: the workflow's now. */
  now: string;
  count: number;
}

export interface FirePlan {
  /** Fires in (cursor, now], earliest first (at most MISSED_FIRES_LIMIT, the latest ones). */
  due: string[];
  /** The next `count` fires after max(cursor, now). */
  upcoming: string[];
}

/** The activities the cron-job actor calls; the workflow imports only this type. */
export interface JobActivities {
  /**
   * Schedule math (cron-parser in the job's timezone). A local activity, not workflow code: its
   * answer is kept in history, so a replay under a newer timezone database cannot disagree with
   * what happened, and cron-parser (which loads fs) stays out of the workflow bundle.
   */
  planFires(request: FirePlanRequest): Promise<FirePlan>;
  /** null when the job no longer exists. */
  loadCronJob(jobId: number): Promise<LoadedCronJob | null>;
  runJobAttempt(request: AttemptRequest): Promise<AttemptResult>;
  /**
   * Completes asynchronously, when the window ends; held alive by its process's lease (no heartbeats);
   * interrupted, it stops between fires and answers what it handled.
   */
  runJobWindow(window: FireWindow): Promise<FireWindowResult>;
  /** Ends the job's window now, in whichever process holds it (a cancel alone would wait for a heartbeat). */
  interruptJobWindow(input: { jobId: number }): Promise<void>;
  recordPendingAttempt(request: AttemptRequest): Promise<void>;
  recordUnrunFires(input: { jobId: number; fires: UnrunFire[] }): Promise<void>;
  /** Called when a run fails, or succeeds after failures: keeps the streak and disables the job at its limit. */
  finishJobRun(outcome: RunOutcome): Promise<RunOutcomeResult>;
  notifyJobOwners(notification: JobNotification): Promise<void>;
}

/** What replayDeliveriesWorkflow runs. */
export interface ReplayActivities {
  /** Sends a failed delivery's request again as a new execution linked to it; never retried (it would send twice). */
  replayExecution(request: ReplayRequest): Promise<ReplayOutcome>;
}
