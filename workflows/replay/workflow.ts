import { proxyActivities } from '@temporalio/workflow';
import type { ReplayActivities } from '../../activities/jobs/types.ts';
import type { ReplayOutcome } from '../../activities/jobs/replay-execution.ts';

/** Replays sent at once: a few receivers' worth, not a flood. */
const CONCURRENCY = 4;

// A job's own timeout is at most 5 minutes. One attempt only: a replay retried after a crash could
// reach the receiver twice, and the person asking sees the failure and may replay again.
const { replayExecution } = proxyActivities<ReplayActivities>({
  startToCloseTimeout: '6 minutes',
  retry: { maximumAttempts: 1 },
});

export interface ReplayDeliveriesInput {
  organizationId: number;
  executionIds: number[];
}

/**
 * A person's replay of failed deliveries (one, or a bulk replay), done by a worker as every request
 * to a customer's address is: each execution's request sent again as a new execution linked to it.
 * Short-lived, started and awaited by the API; answers one outcome per execution, in order.
 */
export async function replayDeliveriesWorkflow({ organizationId, executionIds }: ReplayDeliveriesInput): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for (let i = 0; i < executionIds.length; i += CONCURRENCY) {
    const batch = executionIds.slice(i, i + CONCURRENCY);
    outcomes.push(...(await Promise.all(batch.map((executionId) => replayExecution({ organizationId, executionId })))));
  }
  return outcomes;
}
