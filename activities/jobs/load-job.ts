import type { Db } from '../../db/connection.ts';
import { actorDefinitionOf, findJobById } from '../../db/repositories/jobs.ts';
import { cursorFor } from '../../domain/cron/run-if-past.ts';
import type { LoadedCronJob } from './types.ts';

export function createLoadJobActivity(db: Db) {
  return {
    /**
     * A fresh actor's starting point. Catch-up starts after the last fire handled, or at the job's
     * creation if it never fired, so fires missed while no actor ran are found, not lost (a
     * one-time job saved after its time with runIfPast: just before that time, so it runs once).
     */
    async loadCronJob(jobId: number): Promise<LoadedCronJob | null> {
      const row = await findJobById(db, jobId);
      if (!row) return null;
      const definition = actorDefinitionOf(row);
      const cursor = cursorFor(definition.schedule, row.last_fire_at ?? row.created_at, row.last_fire_at);
      return { definition, cursor: cursor.toISOString(), consecutiveFailures: row.consecutive_failures };
    },
  };
}
