import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection.ts';
import { firstAttemptsOf } from '../../db/repositories/executions.ts';
import { MAX_QUEUED_RUNS, OVERLAP_SKIP_REASON, QUEUE_FULL_REASON } from '../../domain/cron/overlap.ts';
import { BURST_PREPARATION_MS, PREPARATION_MS, until, type AttemptSteps } from './run-attempt.ts';
import type { AttemptResult, FireWindow, FireWindowResult } from './types.ts';
import type { WindowKeeper } from './window-keeper.ts';

/** The worker's Temporal client; none in the SDK's mock activity environment. */
function workerClient(context: Context): Client | null {
  try {
    return context.client;
  } catch {
    return null;
  }
}

/** Fires this far apart or more are each a burst of their own (every job on `* * * * *` at second 0), begun earlier. */
const BURST_GAP_MS = 60_000;

/** A window ends at the first fire that the actor must decide on: a retry, a failure, a deleted job. */
export const endsWindow = (result: AttemptResult) => result.outcome !== 'success' && result.outcome !== 'skipped';

export function createWindowActivity(db: Db, steps: AttemptSteps, keeper: WindowKeeper) {
  return {
    /**
     * Sends each fire of the window at its time, in-process, with the same steps as a single
     * attempt. A fire that comes while the previous one is still going follows the overlap policy
     * here (skipped and recorded, or sent late, in turn, with no more waiting than a queue holds),
     * so a slow target costs no round trip to the actor. Retried (its process crashed, or stalled
     * long enough to be taken for dead while its first try still goes), it never sends a fire twice:
     * a fire whose attempt had begun is the first try's (see answerOfClaimant), and it stops at the first fire that came
     * due meanwhile: those follow the catch-up policy, in the actor.
     */
    async runJobWindow(window: FireWindow): Promise<FireWindowResult> {
      const context = Context.current();
      const retried = context.info.attempt > 1;
      const begunAt = Date.now();
      // Its process's lease keeps it alive, and an interrupt from its actor ends it (see window-keeper.ts).
      const held = await keeper.hold({ jobId: window.jobId, taskToken: context.info.taskToken }, workerClient(context));
      const signal = AbortSignal.any([context.cancellationSignal, held.signal]);
      // One heartbeat: a cancel asked before the window began is heard with its answer.
      context.heartbeat();
      let handled = 0;
      let last: AttemptResult | null = null;
      /** When the previous fire's target answered: a fire due before that came while it was going. */
      let answeredAt = 0;
      /** When each fire this window sent began: those begun after a fire's time were waiting then. */
      const sentAt: number[] = [];
      try {
        const before = retried ? await firstAttemptsOf(db, window.jobId, window.fires.map((f) => f.runId)) : new Map();
        for (const [index, fire] of window.fires.entries()) {
          const earlier = before.get(fire.runId);
          if (earlier?.status === 'success' || earlier?.status === 'skipped') {
            last = earlier.status === 'success' ? { outcome: 'success', executionId: earlier.id, statusCode: earlier.status_code, retryAfter: null, error: null } : null;
            handled += 1;
            continue;
          }
          if (retried && !earlier && Date.parse(fire.scheduledFor) < begunAt) break;
          const dueAt = Date.parse(fire.scheduledFor);
          const skipped = earlier ? null : overlapSkip(window.overlapPolicy, dueAt, answeredAt, sentAt);
          if (skipped) {
            await steps.recordUnrun(window.jobId, [{ runId: fire.runId, scheduledFor: fire.scheduledFor, status: 'skipped', trigger: 'schedule', reason: skipped }]);
            last = null;
            handled += 1;
            continue;
          }
          const previous = index > 0 ? Date.parse(window.fires[index - 1].scheduledFor) : -Infinity;
          const preparation = dueAt - previous < BURST_GAP_MS ? PREPARATION_MS : BURST_PREPARATION_MS;
          if (!(await until(dueAt - preparation, signal))) break;
          sentAt.push(Date.now());
          const attempt = await steps.attempt({ jobId: window.jobId, runId: fire.runId, attempt: 1, scheduledFor: fire.scheduledFor, trigger: 'schedule' }, window.revision);
          if ('changedRevision' in attempt) return { handled, last, changedRevision: attempt.changedRevision };
          ({ result: last, answeredAt } = attempt);
          handled += 1;
          if (endsWindow(last)) break;
        }
        return { handled, last, changedRevision: null };
      } finally {
        await held.release();
      }
    },
  };
}

/**
 * Why a fire due at `dueAt` does not run, or null: under `skip`, the previous fire's target had not
 * answered by then; under `queue`, as many fires as a queue holds were already waiting then.
 */
function overlapSkip(policy: FireWindow['overlapPolicy'], dueAt: number, answeredAt: number, sentAt: number[]): string | null {
  if (policy === 'skip') return answeredAt > dueAt ? OVERLAP_SKIP_REASON : null;
  return sentAt.filter((at) => at > dueAt).length >= MAX_QUEUED_RUNS ? QUEUE_FULL_REASON : null;
}
