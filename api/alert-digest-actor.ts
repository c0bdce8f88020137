import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { TemporalGateway } from './temporal.ts';
import { ALERT_DIGEST_WORKFLOW_ID } from '../workflows/alert-digest/definitions.ts';
import type { alertDigestWorkflow } from '../workflows/alert-digest/workflow.ts';

/**
 * Starts the one digest actor unless it runs already (true when this call started it). Called
 * from the recovery sweep, at start-up and after an outage: whichever API process comes first
 * starts it, the others find it running.
 */
export async function ensureAlertDigestActor(temporal: Pick<TemporalGateway, 'client' | 'taskQueue'>): Promise<boolean> {
  try {
    await temporal.client.workflow.start<typeof alertDigestWorkflow>('alertDigestWorkflow', { workflowId: ALERT_DIGEST_WORKFLOW_ID, taskQueue: temporal.taskQueue, args: [{}] });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}
