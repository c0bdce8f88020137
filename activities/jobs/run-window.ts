import { Context } from '@temporalio/activity';
import { firstAttemptsOf } from '../../db/repositories/executions.ts';
import type { Db } from '../../db/connection.ts';
import { PREPARATION_MS, until, type AttemptSteps } from './run-attempt.ts';
import type { AttemptResult, FireWindow, FireWindowResult } from './types.ts';

/** Often enough for the actor's heartbeat timeout, and for a cancel (delivered with a heartbeat's answer) to be heard soon. */
const HEARTBEAT_EVERY_MS = 1_000;

/** A window ends at the first fire that the actor must decide on: a retry, a failure, a deleted job. */
export const endsWindow = (result: AttemptResult) => result.outcome !== 'success' && result.outcome !== 'skipped';

export function createWindowActivity(db: Db, steps: AttemptSteps) {
  return {
    /**
     * Sends each fire of the window at its time, in-process, with the same steps as a single
     * attempt. Retried after a crash, it resends the fires whose attempt had begun (same execution
     * id, so a receiver can tell) without resending the finished ones, and stops at the first fire
     * that came due while it was down: those follow the job's catch-up policy, back in the actor.
     * Fires that come while the previous one is still going end the window too (overlap policy).
     */
    async runJobWindow(window: FireWindow): Promise<FireWindowResult> {
      const context = Context.current();
      const signal = context.cancellationSignal;
      const retried = context.info.attempt > 1;
      const begunAt = Date.now();
      const before = retried ? await firstAttemptsOf(db, window.jobId, window.fires.map((f) => f.runId)) : new Map();
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      context.heartbeat();
      let handled = 0;
      let last: AttemptResult | null = null;
      /** When the last attempt ended: a fire due before that came while it was going. */
      let lastEnded = 0;
      try {
        for (const fire of window.fires) {
          if (lastEnded > Date.parse(fire.scheduledFor)) {
            const overlapped = window.fires.slice(handled).filter((f) => Date.parse(f.scheduledFor) < lastEnded).length;
            return { handled, last, changedRevision: null, overlapped };
          }
          const earlier = before.get(fire.runId);
          if (earlier?.status === 'success' || earlier?.status === 'skipped') {
            last = { outcome: earlier.status, executionId: earlier.id, statusCode: earlier.status_code, retryAfter: null, error: null };
            handled += 1;
            continue;
          }
          if (retried && !earlier && Date.parse(fire.scheduledFor) < begunAt) break;
          if (!(await until(Date.parse(fire.scheduledFor) - PREPARATION_MS, signal))) break;
          const result = await steps.attempt({ jobId: window.jobId, runId: fire.runId, attempt: 1, scheduledFor: fire.scheduledFor, trigger: 'schedule' }, window.revision);
          if ('changedRevision' in result) return { handled, last, changedRevision: result.changedRevision, overlapped: 0 };
          last = result;
          lastEnded = Date.now();
          handled += 1;
          if (endsWindow(result)) break;
        }
        return { handled, last, changedRevision: null, overlapped: 0 };
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}
