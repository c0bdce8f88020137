import type { Db } from '../../db/connection.ts';
import type { JobRow } from '../../db/repositories/jobs.ts';
import { publish } from '../../db/realtime/publish.ts';
import type { RunOutcome, RunOutcomeResult } from './types.ts';
import { jobView, jobsTopic } from '../../db/repositories/job-views.ts';

/**
 * Keeps the job's failure streak, in the database so it survives the actor continuing as new and
 * the notifications it drives go out once: the first failure of a streak, the recovery, and the
 * job disabling itself when the streak reaches its limit.
 */
export function createFinishRunActivity(db: Db) {
  return {
    async finishJobRun(outcome: RunOutcome): Promise<RunOutcomeResult> {
      return db.transaction(async (trx) => {
        const job = await trx<JobRow>('jobs').where({ id: outcome.jobId }).forUpdate().first();
        if (!job) return { consecutiveFailures: 0, disabled: false, notify: null };
        const before = job.consecutive_failures;
        const streak = outcome.succeeded ? 0 : before + 1;
        const disabled = !outcome.succeeded && job.enabled && streak >= job.disable_after_failures;
        const changes: Record<string, unknown> = { consecutive_failures: streak };
        if (disabled) {
          Object.assign(changes, { enabled: false, disabled_reason: `Disabled after ${streak} failed runs in a row.`, revision: trx.raw('revision + 1'), updated_at: trx.fn.now() });
        }
        const [row]: JobRow[] = await trx('jobs').where({ id: job.id }).update(changes).returning('*');
        await publish(trx, jobsTopic(job.organization_id), 'job.updated', jobView(row));
        const notify = disabled ? 'disabled' : outcome.succeeded ? (before > 0 ? 'recovery' : null) : streak === 1 ? 'failure' : null;
        return { consecutiveFailures: streak, disabled, notify };
      });
    },
  };
}
