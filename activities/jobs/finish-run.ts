import type { Db } from '../../db/connection.ts';
import type { JobRow } from '../../db/repositories/jobs.ts';
import { publish } from '../../db/realtime/publish.ts';
import type { RunOutcome, RunOutcomeResult } from './types.ts';
import { jobView, jobsTopic } from '../../db/repositories/job-views.ts';

/**
 * One run's outcome on the job's failure streak, in `trx` (the job row locked): a success ends the
 * streak (a recovery when there was one), a failure lengthens it and disables the job at its limit.
 * The streak lives in the database so it survives the actor continuing as new, and replays of
 * failed deliveries (replay-execution.ts) end it too.
 */
export async function settleFailureStreak(trx: Db, jobId: number, succeeded: boolean): Promise<RunOutcomeResult> {
  const job = await trx<JobRow>('jobs').where({ id: jobId }).forUpdate().first();
  const before = job?.consecutive_failures ?? 0;
  // Nothing to change: no job, or a success with no streak to end.
  if (!job || (succeeded && before === 0)) return { consecutiveFailures: 0, disabled: false, notify: null };
  const streak = succeeded ? 0 : before + 1;
  const disabled = !succeeded && job.enabled && streak >= job.disable_after_failures;
  const changes: Record<string, unknown> = { consecutive_failures: streak };
  if (disabled) {
    Object.assign(changes, { enabled: false, disabled_reason: `Disabled after ${streak} failed runs in a row.`, revision: trx.raw('revision + 1'), updated_at: trx.fn.now() });
  }
  const [row]: JobRow[] = await trx('jobs').where({ id: job.id }).update(changes).returning('*');
  await publish(trx, jobsTopic(job.organization_id), 'job.updated', jobView(row));
  const notify = disabled ? 'disabled' : succeeded ? 'recovery' : streak === 1 ? 'failure' : null;
  return { consecutiveFailures: streak, disabled, notify };
}

/**
 * The notifications the streak drives go out once: the first failure of a streak, the recovery,
 * and the job disabling itself when the streak reaches its limit.
 */
export function createFinishRunActivity(db: Db) {
  return {
    async finishJobRun(outcome: RunOutcome): Promise<RunOutcomeResult> {
      return db.transaction((trx) => settleFailureStreak(trx, outcome.jobId, outcome.succeeded));
    },
  };
}
