import type { AttemptJobRow } from '../../db/repositories/jobs.ts';
import type { SentRequest } from '../../db/repositories/executions.ts';
import { requestHeaders } from '../../domain/jobs/request-headers.ts';
import type { OutboundRequest } from '../../runtime/outbound-http.ts';
import { CRON_USER_AGENT, SIGNATURE_HEADER } from '../../runtime/cron-request.ts';

/** How much of the body an execution keeps of what it sent: enough to recognise it; the job holds the whole. */
export const REQUEST_BODY_EXCERPT = 2048;

/** The request an attempt of `job` sends, with its signature header as given. */
export function jobRequest(job: AttemptJobRow, run: { runId: string; attempt: number }, signature: string): OutboundRequest {
  return {
    url: job.url,
    method: job.method,
    headers: {
      ...requestHeaders(job, CRON_USER_AGENT),
      'x-pulseboard-job-id': String(job.id),
      // The run's id: the same on every attempt and every repeated delivery, for receivers to deduplicate by.
      'x-pulseboard-execution-id': run.runId,
      'x-pulseboard-attempt': String(run.attempt),
      [SIGNATURE_HEADER]: signature,
    },
    body: job.body,
    timeoutMs: job.timeout_ms,
  };
}

/**
 * What the history keeps of a request: the signature only as its `t=` part (with the body, the
 * whole one would let anyone who reads the history replay the request within its tolerance).
 */
export function recordedRequest(outbound: OutboundRequest, timestamp: number, sentAt: Date): SentRequest {
  return { ...requestToSend(outbound, timestamp), sentAt };
}

/** The request as recorded before it leaves (its row holds it before any receiver can see it). */
export function requestToSend(outbound: OutboundRequest, timestamp: number): Omit<SentRequest, 'sentAt'> {
  return {
    method: outbound.method,
    url: outbound.url,
    headers: { ...outbound.headers, [SIGNATURE_HEADER]: `t=${timestamp}` },
    body: outbound.body === null ? null : outbound.body.slice(0, REQUEST_BODY_EXCERPT),
  };
}
