import type { AppContext } from '../../context.ts';
import type { TestRequestInput } from '../../../domain/jobs/job-definition.ts';
import { requestHeaders } from '../../../domain/jobs/request-headers.ts';
import { jobSignatureHeader } from '../../../domain/signing/job-request-signature.ts';
import { jobSecretKeyring, signingSecretOf } from '../../../db/repositories/job-signing-secrets.ts';
import { createOutboundClient } from '../../../runtime/outbound-http.ts';
import { CRON_USER_AGENT, SIGNATURE_HEADER } from '../../../runtime/cron-request.ts';
import { assertTargetsAllowed } from '../../http/outbound-targets.ts';

/** What the form shows of the answer: enough to see that the target works, not a proxy's worth. */
export const TEST_BODY_BYTES = 1024;

export type TestRequestAnswer =
  | { outcome: 'response'; statusCode: number; durationMs: number; headers: Record<string, string>; body: string; bodyTruncated: boolean }
  | { outcome: 'timeout' | 'network_error' | 'refused'; durationMs: number; error: string };

/**
 * POST /jobs/test_request: the request a job with this definition would send, sent once now through
 * the guarded client, signed with the organization's secret (as a new job's would be) and marked
 * `X-Pulseboard-Test: true`, so a receiver can verify it and tell it from a run. Nothing is recorded
 * and nothing counts against the plan.
 */
export async function sendTestRequest(ctx: AppContext, organizationId: number, input: TestRequestInput): Promise<TestRequestAnswer> {
  assertTargetsAllowed(ctx.config, [{ path: ['url'], url: input.url }]);
  const secret = await signingSecretOf(ctx.db, await jobSecretKeyring(ctx.db, ctx.config), organizationId);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    ...requestHeaders(input, CRON_USER_AGENT),
    'x-pulseboard-test': 'true',
    [SIGNATURE_HEADER]: jobSignatureHeader({ method: input.method, url: input.url, body: Buffer.from(input.body ?? '', 'utf8') }, timestamp, [secret]),
  };
  // A client of its own, closed after: a test request is rare, and leaves no pooled socket behind.
  const http = createOutboundClient({ allowLoopback: ctx.config.ALLOW_LOOPBACK_TARGETS });
  try {
    // One byte past the limit tells a body cut short from one that fits exactly.
    const result = await http.send({ url: input.url, method: input.method, headers, body: input.body, timeoutMs: input.timeoutMs, maxBodyBytes: TEST_BODY_BYTES + 1 });
    switch (result.kind) {
      case 'response': {
        const bytes = Buffer.from(result.body, 'utf8');
        const bodyTruncated = bytes.length > TEST_BODY_BYTES;
        const body = bodyTruncated ? bytes.subarray(0, TEST_BODY_BYTES).toString('utf8') : result.body;
        return { outcome: 'response', statusCode: result.statusCode, durationMs: result.durationMs, headers: result.headers, body, bodyTruncated };
      }
      case 'timeout':
        return { outcome: 'timeout', durationMs: result.durationMs, error: `no complete answer within ${input.timeoutMs / 1000} s` };
      case 'network_error':
        return { outcome: 'network_error', durationMs: result.durationMs, error: result.message };
      case 'refused':
        return { outcome: 'refused', durationMs: result.durationMs, error: `refused by the outbound guard: ${result.reason}` };
    }
  } finally {
    await http.close();
  }
}
