import { proxyActivities } from '@temporalio/workflow';
import type { JobActivities, ReplayActivities } from '../../activities/jobs/types.ts';
import type { ReplayOutcome } from '../../activities/jobs/replay-execution.ts';

/** Replays sent at once: a few receivers' worth, not a flood. */
const CONCURRENCY = 4;

// A job's own timeout is at most 5 minutes. One attempt only: a replay retried after a crash could
// reach the receiver twice, and the person asking sees the failure and may replay again.
const { replayExecution } = proxyActivities<ReplayActivities>({
  startToCloseTimeout: '6 minutes',
  retry: { maximumAttempts: 1 },
});
// As the cron-job actor tells of a recovery: a few tries, never failing the replay.
const { notifyJobOwners } = proxyActivities<Pick<JobActivities, 'notifyJobOwners'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

/** The replay, and the recovery notice when it ended the job's failure streak. */
async function replayOne(organizationId: number, executionId: number): Promise<ReplayOutcome> {
  const outcome = await replayExecution({ organizationId, executionId });
  if (outcome.ok && outcome.notice) {
    try {
      await notifyJobOwners(outcome.notice);
    } catch {
      // Already retried by its policy; the replay itself succeeded and is answered as such.
    }
  }
  return outcome;
}

export interface ReplayDeliveriesInput {
  organizationId: number;
  executionIds: number[];
}

/**
 * A person's replay of failed deliveries (one, or a bulk replay), done by a worker as every request
 * to a customer's address is: each execution's request sent again as a new execution linked to it.
 * A replay that ends the job's failure streak tells of the recovery as a run would.
 * Short-lived, started and awaited by the API; answers one outcome per execution, in order.
 */
export async function replayDeliveriesWorkflow({ organizationId, executionIds }: ReplayDeliveriesInput): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for (let i = 0; i < executionIds.length; i += CONCURRENCY) {
    const batch = executionIds.slice(i, i + CONCURRENCY);
    outcomes.push(...(await Promise.all(batch.map((executionId) => replayOne(organizationId, executionId)))));
  }
  return outcomes;
}
