import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { finishAttempts, type ExecutionRow } from '../../db/repositories/executions.ts';
import { findJobForAttempt } from '../../db/repositories/jobs.ts';
import { reserveExecutions } from '../../db/repositories/jobs-usage.ts';
import { executionView, jobsTopic } from '../../db/repositories/job-views.ts';
import { publish } from '../../db/realtime/publish.ts';
import { FAILED_DELIVERY_STATUSES } from '../../domain/jobs/execution-status.ts';
import { limitsOf, usageMonth } from '../../domain/jobs/plan-limits.ts';
import { replayBody } from '../../domain/jobs/replay.ts';
import type { Keyring } from '../../domain/jobs/secret-box.ts';
import { jobSignatureHeader } from '../../domain/signing/job-request-signature.ts';
import type { OutboundClient, OutboundRequest } from '../../runtime/outbound-http.ts';
import { SIGNATURE_HEADER } from '../../runtime/cron-request.ts';
import { finishOf, signingSecretsFor } from './run-attempt.ts';
import { REQUEST_BODY_EXCERPT, recordedRequest } from './job-request.ts';
import { settleFailureStreak } from './finish-run.ts';
import type { JobNotification } from './types.ts';

/**
 * JSON, as an activity answers: the replay as the API shows it and the recovery notice it calls for,
 * or why there is none (the HTTP status it means).
 */
export type ReplayOutcome =
  | { ok: true; execution: ReturnType<typeof executionView>; notice: JobNotification | null }
  | { ok: false; status: 404 | 409 | 429; reason: string };

export interface ReplayRequest {
  organizationId: number;
  executionId: number;
}

export interface ReplayDeps {
  db: Db;
  http: OutboundClient;
  keyring: () => Promise<Keyring>;
}

/**
 * Whether a run of the original's job succeeded after it was due. Replays do not count: one is due
 * when it is asked for, and the replay of an older failure says nothing of the runs since.
 */
async function succeededSince(db: Db, original: ExecutionRow): Promise<boolean> {
  const later = await db('job_executions')
    .where({ job_id: original.job_id, status: 'success' })
    .whereNot({ trigger: 'replay' })
    .where('scheduled_for', '>', original.scheduled_for)
    .first('id');
  return later !== undefined;
}

/**
 * Replays a failed delivery: the request the failed attempt sent (method, URL, headers, body; see
 * replayBody) goes out once more as a new execution linked to it (`replay_of`, trigger `replay`),
 * freshly signed (a signature is only good for minutes) with a run id of its own, and
 * `X-Pulseboard-Replay-Of` naming the original run, so a receiver that deduplicates by execution id
 * takes it and can still tell what it repeats. One attempt, judged by the job's expected response;
 * it counts against the month's runs like any run. A successful replay of a failure of the job's
 * current streak (no run of the job succeeded after it) is the job succeeding again: it ends the
 * streak, with the recovery notice; one of an older failure says nothing of the streak since.
 */
export function createReplayActivity({ db, http, keyring }: ReplayDeps) {
  async function replayExecution({ organizationId, executionId }: ReplayRequest): Promise<ReplayOutcome> {
    const original = await db<ExecutionRow>('job_executions').where({ id: executionId, organization_id: organizationId }).first();
    const job = original && (await findJobForAttempt(db, original.job_id));
    if (!original || !job) return { ok: false, status: 404, reason: 'No such execution.' };
    if (!(FAILED_DELIVERY_STATUSES as readonly string[]).includes(original.status) || !original.request_method || !original.request_url) {
      return { ok: false, status: 409, reason: 'Only a failed delivery that sent a request can be replayed.' };
    }
    const body = replayBody(original.request_body, job.body, REQUEST_BODY_EXCERPT);
    if (!body.ok) return { ok: false, status: 409, reason: body.reason };
    const { executionsPerMonth } = limitsOf(job.plan);
    if ((await reserveExecutions(db, organizationId, usageMonth(new Date()), executionsPerMonth, 1)) === 0) {
      return { ok: false, status: 429, reason: `The ${job.plan} plan's limit of ${executionsPerMonth} executions this month is reached.` };
    }

    const runId = randomUUID();
    const started = await db.transaction(async (trx) => {
      const [row] = await trx<ExecutionRow>('job_executions')
        .insert({
          job_id: job.id,
          organization_id: organizationId,
          run_id: runId,
          attempt: 1,
          trigger: 'replay',
          replay_of: original.id,
          status: 'running',
          // Each its own instant: a bulk replay of one job's deliveries keeps one row per moment.
          scheduled_for: trx.raw('clock_timestamp()') as unknown as Date,
          started_at: trx.raw('clock_timestamp()') as unknown as Date,
          lateness_ms: 0,
        })
        .returning('*');
      await publish(trx, jobsTopic(organizationId), 'execution.started', executionView(row));
      return row;
    });

    const timestamp = Math.floor(Date.now() / 1000);
    const { [SIGNATURE_HEADER]: _oldSignature, ...originalHeaders } = original.request_headers ?? {};
    const outbound: OutboundRequest = {
      url: original.request_url,
      method: original.request_method,
      headers: {
        ...originalHeaders,
        'x-pulseboard-execution-id': runId,
        'x-pulseboard-attempt': '1',
        'x-pulseboard-replay-of': original.run_id,
        [SIGNATURE_HEADER]: jobSignatureHeader({ method: original.request_method, url: original.request_url, body: Buffer.from(body.body ?? '', 'utf8') }, timestamp, await signingSecretsFor(db, await keyring(), job)),
      },
      body: body.body,
      timeoutMs: job.timeout_ms,
    };
    const sentAt = new Date();
    const result = await http.send(outbound);
    const finish = { ...finishOf(result, job.expected_response), request: recordedRequest(outbound, timestamp, sentAt) };
    const finished = await db.transaction(async (trx) => {
      const row = (await finishAttempts(trx, [{ id: started.id, finish }])).get(started.id);
      if (!row) return null;
      await publish(trx, jobsTopic(organizationId), 'execution.finished', executionView(row));
      const endsStreak = row.status === 'success' && !(await succeededSince(trx, original));
      const streak = endsStreak ? await settleFailureStreak(trx, job.id, true) : null;
      const notice: JobNotification | null = streak?.notify ? { jobId: job.id, runId, kind: streak.notify, consecutiveFailures: 0, error: null } : null;
      return { row, notice };
    });
    return finished ? { ok: true, execution: executionView(finished.row, true), notice: finished.notice } : { ok: false, status: 404, reason: 'The job was deleted meanwhile.' };
  }
  return { replayExecution };
}
