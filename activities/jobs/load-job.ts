import type { Db } from '../../db/connection.ts';
import { actorDefinitionOf, findJobById } from '../../db/repositories/jobs.ts';
import type { LoadedCronJob } from './types.ts';

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
