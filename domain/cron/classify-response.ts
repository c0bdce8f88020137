export type AttemptOutcome = 'success' | 'fail_now' | 'retry';

/**
 * What one attempt of a job's request means for the execution. 2xx succeeds. 408 (timeout) and
 * 429 (rate limited) are the server asking us to come back, so they retry, as do 5xx, network
 * errors and our own timeouts. Any other 4xx is a problem with the request itself that repeating
 * it will not fix. Redirects are not followed (the target could be an address the outbound guard
 * forbids), so 3xx fails too, as does anything outside 200–599.
 */
export function classifyResponse(result: number | 'network_error' | 'timeout'): AttemptOutcome {
  if (result === 'network_error' || result === 'timeout') return 'retry';
  if (result >= 200 && result <= 299) return 'success';
  if (result === 408 || result === 429) return 'retry';
  if (result >= 500 && result <= 599) return 'retry';
  return 'fail_now';
}
