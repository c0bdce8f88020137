export interface RetryDelayInput {
  /** 1 for the first retry, after the first failed attempt. */
  attempt: number;
  initialMs: number;
  backoffCoefficient: number;
  maxMs: number;
  /** The failed response's Retry-After header, if it had one. */
  retryAfterHeader?: string | null;
  now: Date;
}

/**
 * How long to wait before retry number `attempt`: exponential backoff, initialMs × coefficient^(attempt-1).
 * A Retry-After from the server is honoured by never retrying sooner than it asks. Both are capped at
 * maxMs, so a server cannot park a job for a year with one header. No jitter: this runs inside a
 * deterministic workflow, and each job's schedule already spreads retries apart.
 */
export function retryDelay(input: RetryDelayInput): number {
  if (!Number.isInteger(input.attempt) || input.attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${input.attempt}`);
  const backoff = input.initialMs * input.backoffCoefficient ** (input.attempt - 1);
  const retryAfter = input.retryAfterHeader ? parseRetryAfter(input.retryAfterHeader, input.now) : null;
  return Math.round(Math.min(input.maxMs, Math.max(backoff, retryAfter ?? 0)));
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when unreadable. */
export function parseRetryAfter(header: string, now: Date): number | null {
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form starts with the weekday; this keeps Date.parse from reading "2026" or "5m".
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /.test(value)) return null;
  // asctime dates carry no zone but are GMT by definition; Date.parse would read them as local time.
  const at = Date.parse(/GMT$/.test(value) ? value : `${value} GMT`);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
