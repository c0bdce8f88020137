import { DEFAULT_RETRY } from '../../domain/jobs/job-definition.ts';
import type { CronJobDefinition } from '../../workflows/cron-job/definitions.ts';

/** A cron job's definition as the actor loads it: every quarter hour in UTC, unless told otherwise. */
export function cronDefinition(jobId: number, overrides: Partial<CronJobDefinition> = {}): CronJobDefinition {
  return {
    jobId,
    organizationId: 1,
    revision: 1,
    schedule: { kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' },
    enabled: true,
    retry: DEFAULT_RETRY,
    overlapPolicy: 'skip',
    catchUpPolicy: 'run_once',
    disableAfterFailures: 5,
    ...overrides,
  };
}
