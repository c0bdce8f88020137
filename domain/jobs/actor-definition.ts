import type { JobSchedule } from '../cron/schedule.ts';
import type { CatchUpPolicy, OverlapPolicy, RetryPolicy } from './job-definition.ts';

/** What the actor needs to schedule a job; the request itself (URL, headers, body) is read by the activity at each attempt. */
export interface CronJobDefinition {
  jobId: number;
  organizationId: number;
  /** The jobs row's revision: a signal older than what the actor has is ignored. */
  revision: number;
  schedule: JobSchedule;
  enabled: boolean;
  retry: RetryPolicy;
  overlapPolicy: OverlapPolicy;
  catchUpPolicy: CatchUpPolicy;
  disableAfterFailures: number;
}
