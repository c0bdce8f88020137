import type { Db } from '../../db/connection.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { advanceLastFires, findJobForAttempt } from '../../db/repositories/jobs.ts';
import { abandonAttempt, findExecution, insertPendingAttempt, insertUnrunFires, type AttemptFinish, type ExecutionRow } from '../../db/repositories/executions.ts';
import type { AttemptJobRow } from '../../db/repositories/jobs.ts';
import { classifyResponse } from '../../domain/cron/classify-response.ts';
import { open, type Keyring } from '../../domain/jobs/secret-box.ts';
import { jobSignatureHeader } from '../../domain/signing/job-request-signature.ts';
import { signingSecretsNow } from '../../domain/jobs/signing-overlap.ts';
import { publish, publishAll } from '../../db/realtime/publish.ts';
import { observeCronFire } from '../../runtime/metrics.ts';
import { unexpectedResponse, type ExpectedResponse } from '../../domain/jobs/expected-response.ts';
import { signingSecretOf } from '../../db/repositories/job-signing-secrets.ts';
import type { OutboundClient, OutboundResult } from '../../runtime/outbound-http.ts';
import type { AttemptRequest, AttemptResult, UnrunFire } from './types.ts';
import { executionView, jobsTopic } from '../../db/repositories/job-views.ts';
import { NOTHING, createExecutionLedger } from './execution-ledger.ts';
import { jobRequest, recordedRequest } from './job-request.ts';

export interface AttemptDeps {
  db: Db;
  http: OutboundClient;
  keyring: () => Promise<Keyring>;
}

/** How often a try that found its attempt claimed by another looks whether that one recorded the answer. */
const CLAIM_POLL_MS = 500;
/** Beyond the job's own timeout, how long the claimant may take to record its answer before it counts as stopped. */
const CLAIM_GRACE_MS = 15_000;
const CLAIMANT_STOPPED = 'the worker sending this attempt stopped before it recorded the answer; the request may have arrived (same X-Pulseboard-Execution-Id)';
const REFUSED = 'refused by the outbound guard';

/**
 * How early an attempt begins: its writes (job, row, usage) are done before its moment, so the
 * request leaves on time even when a few hundred jobs' fires begin together.
 */
export const PREPARATION_MS = 200;
/**
 * How early a window's fire begins when nothing of its own came just before it (its first fire, or
 * fires a minute or more apart): thousands of jobs due at the same second 0 begin together, a
 * thousand per transaction, and each needs its row written before its request can leave.
 */
export const BURST_PREPARATION_MS = 2_000;
/** The most an attempt waits for its moment; anything further off is another clock (a test's skipped time). */
export const MAX_WAIT_MS = 3_000;

/** A scheduled attempt handed over early by the actor waits here until it is time to begin. */
async function untilDue(scheduledFor: string): Promise<void> {
  const at = Date.parse(scheduledFor) - PREPARATION_MS;
  if (at - Date.now() <= MAX_WAIT_MS) await until(at);
}

/** Waits until `at` (epoch ms); false when `signal` was aborted meanwhile. */
export async function until(at: number, signal?: AbortSignal): Promise<boolean> {
  // Timers run on the monotonic clock and may end a millisecond before the wall clock reaches `at`: wait again then.
  for (let wait = at - Date.now(); wait > 0 && !signal?.aborted; wait = at - Date.now()) await sleep(wait, undefined, { signal }).catch(() => undefined);
  return !signal?.aborted;
}

/** The signing secrets valid now (two during a rotation's overlap); made on the organization's first run (the join answers null until then). */
export async function signingSecretsFor(db: Db, ring: Keyring, job: AttemptJobRow): Promise<string[]> {
  if (!job.signing_secret_encrypted) return [await signingSecretOf(db, ring, job.organization_id)];
  const sealed = signingSecretsNow({ current: job.signing_secret_encrypted, previous: job.previous_signing_secret_encrypted, rotatedAt: job.signing_secret_rotated_at! }, new Date());
  return sealed.map((s) => open(ring, s));
}

/** The steps of an attempt, shared by a single attempt and a window of fires; their writes are grouped across attempts. */
export function createAttemptSteps({ db, http, keyring }: AttemptDeps) {
  const ledger = createExecutionLedger(db);
  const secretsFor = async (job: AttemptJobRow) => signingSecretsFor(db, await keyring(), job);

  /**
   * Another try claimed this attempt (the activity was retried while a slow first try still went,
   * or another window has the fire): its answer is this one's, and the request is not sent again.
   * A claimant that records nothing within the job's timeout (and a grace) stopped: the attempt
   * failed, and the run's retry policy decides.
   */
  async function answerOfClaimant({ job, row }: { job: AttemptJobRow; row: ExecutionRow }): Promise<AttemptResult> {
    const deadline = (row.started_at?.getTime() ?? Date.now()) + job.timeout_ms + CLAIM_GRACE_MS;
    let current: ExecutionRow | undefined = row;
    while (current?.status === 'running' && Date.now() < deadline) {
      await sleep(CLAIM_POLL_MS);
      current = await findExecution(db, row.id);
    }
    if (current?.status === 'running') current = await abandonAttempt(db, row.id, CLAIMANT_STOPPED);
    return current ? resultOf(current) : gone();
  }

  return {
    /**
     * One attempt: its execution row goes running (the first attempt of a run is counted against
     * the plan, or recorded as skipped over the limit), the signed request leaves at its time (not
     * before), and the row gets the outcome. Each step is announced on the organization's jobs topic.
     * With a `revision`, a job changed since (edited, paused) does not fire. `answeredAt`: when the
     * run was over for its target (its bookkeeping may end later).
     */
    async attempt(request: AttemptRequest, revision: number | null = null): Promise<{ result: AttemptResult; answeredAt: number } | { changedRevision: number }> {
      // The signature's time is the moment it leaves: an attempt handed over early waits for its time.
      const due = Date.parse(request.scheduledFor);
      const sendsAt = due - Date.now() <= MAX_WAIT_MS ? Math.max(Date.now(), due) : Date.now();
      const timestamp = Math.floor(sendsAt / 1000);
      const begun = await ledger.begin({ attempt: request, revision, timestamp });
      if (begun.kind === 'gone') return { result: gone(), answeredAt: Date.now() };
      if (begun.kind === 'changed') return { changedRevision: begun.revision };
      if (begun.kind === 'taken') return { result: await answerOfClaimant(begun), answeredAt: Date.now() };
      if (begun.kind === 'skipped') return { result: { outcome: 'skipped', executionId: null, statusCode: null, retryAfter: null, error: 'plan limit reached' }, answeredAt: Date.now() };
      const { job, row: started } = begun;
      // Signed before its moment: at second 0 thousands of fires leave together, with nothing left to do but send.
      const signature = jobSignatureHeader({ method: job.method, url: job.url, body: Buffer.from(job.body ?? '', 'utf8') }, timestamp, await secretsFor(job));
      const outbound = jobRequest(job, { runId: started.run_id, attempt: started.attempt }, signature);
      await until(sendsAt);

      const sentAt = new Date();
      const sending = http.send(outbound);
      observeCronFire(request);
      const result = await sending;
      const answeredAt = Date.now();

      const finish = { ...finishOf(result, job.expected_response), request: recordedRequest(outbound, timestamp, sentAt) };
      if (!(await ledger.finish({ row: started, finish }))) return { result: gone(), answeredAt };
      const recorded = { status: finish.status, status_code: finish.statusCode, response_headers: finish.responseHeaders, error: finish.error };
      return { result: resultOf({ ...recorded, id: started.id }), answeredAt };
    },

    /** Fires that will not run (missed, skipped): recorded and announced, the catch-up cursor moved past them. */
    async recordUnrun(jobId: number, fires: UnrunFire[]): Promise<void> {
      const job = await findJobForAttempt(db, jobId);
      if (!job || fires.length === 0) return;
      await db.transaction(async (trx) => {
        const rows = await insertUnrunFires(
          trx,
          fires.map((fire) => ({ jobId, organizationId: job.organization_id, runId: fire.runId, attempt: 1, trigger: fire.trigger, scheduledFor: new Date(fire.scheduledFor), status: fire.status, error: fire.reason })),
        );
        const latest = fires.reduce((max, fire) => (fire.scheduledFor > max ? fire.scheduledFor : max), fires[0].scheduledFor);
        await advanceLastFires(trx, [{ jobId, scheduledFor: new Date(latest) }]);
        await publishAll(trx, jobsTopic(job.organization_id), rows.map((row) => ({ event: 'execution.finished', data: executionView(row) })));
      });
    },
  };
}

export type AttemptSteps = ReturnType<typeof createAttemptSteps>;

export function createAttemptActivities(db: Db, steps: AttemptSteps) {
  return {
    /** One attempt of a run, sent at its time (see createAttemptSteps). */
    async runJobAttempt(request: AttemptRequest): Promise<AttemptResult> {
      await untilDue(request.scheduledFor);
      // Asked without a revision, an attempt never answers that the job changed.
      return ((await steps.attempt(request)) as { result: AttemptResult }).result;
    },

    async recordPendingAttempt(request: AttemptRequest): Promise<void> {
      const job = await findJobForAttempt(db, request.jobId);
      if (!job) return;
      await db.transaction(async (trx) => {
        const row = await insertPendingAttempt(trx, { ...request, organizationId: job.organization_id, scheduledFor: new Date(request.scheduledFor) });
        if (row) await publish(trx, jobsTopic(job.organization_id), 'execution.pending', executionView(row));
      });
    },

    recordUnrunFires: ({ jobId, fires }: { jobId: number; fires: UnrunFire[] }) => steps.recordUnrun(jobId, fires),
  };
}

export function gone(): AttemptResult {
  return { outcome: 'gone', executionId: null, statusCode: null, retryAfter: null, error: 'the job was deleted' };
}

/**
 * What a finished attempt means for its run, from what its row records (so a try that finds the
 * attempt claimed by another answers as that one did). A status the job does not expect retries
 * when the status says so (5xx, 408, 429), else fails the run; so does an expected status whose
 * body falls short (a failed row with a 2xx code).
 */
function resultOf(row: Pick<ExecutionRow, 'id' | 'status' | 'status_code' | 'response_headers' | 'error'>): AttemptResult {
  const answer = { executionId: row.id, statusCode: row.status_code, retryAfter: row.response_headers?.['retry-after'] ?? null, error: row.error };
  if (row.status === 'success') return { ...answer, outcome: 'success' };
  if (row.status === 'skipped' || row.status === 'missed') return { ...answer, outcome: 'skipped' };
  if (row.status_code !== null) {
    const outcome = classifyResponse(row.status_code);
    return { ...answer, outcome: outcome === 'success' ? 'fail_now' : outcome };
  }
  return { ...answer, outcome: row.error?.startsWith(REFUSED) ? 'fail_now' : 'retry' };
}

/** How the execution row records what happened; an answer the job does not expect says why. */
export function finishOf(result: OutboundResult, expected: ExpectedResponse): Omit<AttemptFinish, 'request'> {
  switch (result.kind) {
    case 'response': {
      const unexpected = unexpectedResponse(expected, result);
      return {
        status: unexpected ? 'failed' : 'success',
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        responseHeaders: result.headers,
        responseBody: result.body,
        error: unexpected,
      };
    }
    case 'timeout':
      return { ...NOTHING, status: 'timeout', durationMs: result.durationMs, error: 'no complete answer within the job\'s timeout' };
    case 'network_error':
      return { ...NOTHING, status: 'failed', durationMs: result.durationMs, error: result.message };
    case 'refused':
      return { ...NOTHING, status: 'failed', durationMs: result.durationMs, error: `${REFUSED}: ${result.reason}` };
  }
}
