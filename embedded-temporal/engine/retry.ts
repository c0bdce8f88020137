/** Retry policies, for activities and workflows: defaults and the next-attempt decision. */
import { duration, ms, type Msg } from '../proto.ts';

export function withRetryDefaults(policy: Msg | undefined): Msg {
  const initial = ms(policy?.initialInterval) || 1000;
  return {
    initialInterval: duration(initial),
    backoffCoefficient: policy?.backoffCoefficient || 2,
    maximumInterval: policy?.maximumInterval && ms(policy.maximumInterval) ? policy.maximumInterval : duration(100 * initial),
    maximumAttempts: policy?.maximumAttempts ?? 0,
    nonRetryableErrorTypes: policy?.nonRetryableErrorTypes ?? [],
  };
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryState: string };

/**
 * Whether attempt `attempt` (which just failed with `failure`) gets another one, and when.
 * `deadline` is the epoch ms past which no attempt may start (schedule-to-close, expiration).
 */
export function decideRetry(policy: Msg | undefined, attempt: number, failure: Msg | undefined, now: number, deadline?: number): RetryDecision {
  if (!policy) return { retry: false, retryState: 'RETRY_STATE_RETRY_POLICY_NOT_SET' };
  const info = failure?.applicationFailureInfo;
  if (info?.nonRetryable || failure?.serverFailureInfo?.nonRetryable || (info && (policy.nonRetryableErrorTypes ?? []).includes(info.type))) {
    return { retry: false, retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE' };
  }
  if (failure?.timeoutFailureInfo && failure.timeoutFailureInfo.timeoutType !== 'TIMEOUT_TYPE_START_TO_CLOSE' && failure.timeoutFailureInfo.timeoutType !== 'TIMEOUT_TYPE_HEARTBEAT') {
    return { retry: false, retryState: 'RETRY_STATE_TIMEOUT' };
  }
  const maxAttempts = policy.maximumAttempts ?? 0;
  if (maxAttempts > 0 && attempt >= maxAttempts) return { retry: false, retryState: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED' };
  const initial = ms(policy.initialInterval) || 1000;
  const maxInterval = ms(policy.maximumInterval) || 100 * initial;
  let delayMs = Math.min(initial * (policy.backoffCoefficient || 2) ** (attempt - 1), maxInterval);
  if (info?.nextRetryDelay) delayMs = ms(info.nextRetryDelay);
  if (deadline && now + delayMs >= deadline) return { retry: false, retryState: 'RETRY_STATE_TIMEOUT' };
  return { retry: true, delayMs };
}
