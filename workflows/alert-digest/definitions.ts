import { defineQuery } from '@temporalio/workflow';

/** One digest actor for everyone: a person's digest is a row (hour, zone), not a timer of their own. */
export const ALERT_DIGEST_WORKFLOW_ID = 'alert-digest';

export interface AlertDigestInput {
  /** The last quarter hour handled, carried across continue-as-new (ISO); absent on the first start. */
  lastTickAt?: string;
  /** Ticks before the actor continues as new, to keep its history short. */
  continueAsNewAfter?: number;
}

export interface AlertDigestStatus {
  lastTickAt: string;
  ticksThisRun: number;
  digestsSentThisRun: number;
}

export const alertDigestStatusQuery = defineQuery<AlertDigestStatus>('status');
