import type { Db } from '../../db/connection.ts';
import { findJobById, jobInputOf, type JobRow } from '../../db/repositories/jobs.ts';
import { toJobSchedule } from '../../domain/jobs/job-definition.ts';
import type { CronJobDefinition } from '../../workflows/cron-job/definitions.ts';
import type { LoadedCronJob } from './types.ts';

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

export function createLoadJobActivity(db: Db) {
  return {
    /**
     * A fresh actor's starting point. Catch-up starts after the last fire handled, or at the job's
     * creation if it never fired, so fires missed while no actor ran are found, not lost.
     */
    async loadCronJob(jobId: number): Promise<LoadedCronJob | null> {
      const row = await findJobById(db, jobId);
      if (!row) return null;
      return { definition: actorDefinitionOf(row), cursor: (row.last_fire_at ?? row.created_at).toISOString(), consecutiveFailures: row.consecutive_failures };
    },
  };
}
