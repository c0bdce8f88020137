import type { Knex } from 'knex';
import type { Db } from '../../db/connection.ts';
import { advanceLastFires, findJobsForAttempts, type AttemptJobRow } from '../../db/repositories/jobs.ts';
import { finishAttempts, startAttempts, type AttemptFinish, type ExecutionRow } from '../../db/repositories/executions.ts';
import { reserveExecutions } from '../../db/repositories/jobs-usage.ts';
import { publishAll } from '../../db/realtime/publish.ts';
import { limitsOf, usageMonth } from '../../domain/jobs/plan-limits.ts';
import type { AttemptRequest } from './types.ts';
import { executionView, jobsTopic } from '../../db/repositories/job-views.ts';
import { groupWrites } from '../../db/group-writes.ts';
import { jobRequest, requestToSend } from './job-request.ts';

export interface BeginRequest {
  attempt: AttemptRequest;
  /** The revision the fire was planned for; a job changed since does not fire. Null: whatever the job is now. */
  revision: number | null;
  /** The signature's time (seconds): the request is recorded as its row is claimed, before it leaves. */
  timestamp: number;
}

export type Begun =
  | { kind: 'started'; job: AttemptJobRow; row: ExecutionRow }
  /** Over the plan's monthly limit: recorded as skipped. */
  | { kind: 'skipped' }
  | { kind: 'gone' }
  /** Claimed by another try of the same fire (a retried activity racing a slow first try): its row, never to be sent again. */
  | { kind: 'taken'; job: AttemptJobRow; row: ExecutionRow }
  | { kind: 'changed'; revision: number };

const BATCH = 1_000;

export const NOTHING = { durationMs: null, statusCode: null, responseHeaders: null, responseBody: null, error: null, request: null } satisfies Omit<AttemptFinish, 'status'>;

/**
 * The execution writes of attempts, grouped: the fires of many jobs due at the same moment begin
 * in one transaction, and the attempts that end close together finish in one. Each attempt still
 * gets its own row, usage count and announcements, as if written alone; a second's 300 fires then
 * cost a few statements instead of a dozen each (which this machine cannot do 300 times a second).
 */
export function createExecutionLedger(db: Db) {
  // Attempts begin and finish in bursts (a second's fires): gather each turn's into one transaction,
  // a thousand at most, so that the first thousand of 10,000 due together are sent while the rest begin.
  const begin = groupWrites<BeginRequest, Begun>((requests) => db.transaction((trx) => beginAll(trx, requests)), { gatherTurn: true, maxItems: BATCH });
  const finish = groupWrites<{ row: ExecutionRow; finish: AttemptFinish }, ExecutionRow | undefined>((finishes) =>
    db.transaction(async (trx) => {
      const rows = await finishAttempts(trx, finishes.map((f) => ({ id: f.row.id, finish: f.finish })));
      const ended = finishes.map((f) => rows.get(f.row.id));
      await announce(trx, ended.filter((row) => row !== undefined), 'execution.finished');
      return ended;
    }),
    { gatherTurn: true, maxItems: BATCH },
  );
  return { begin, finish };
}

/** Rows marked running (first attempts counted against the plan, or recorded as skipped over it), then announced. */
async function beginAll(trx: Knex.Transaction, requests: BeginRequest[]): Promise<Begun[]> {
  const jobs = await findJobsForAttempts(trx, requests.map((r) => r.attempt.jobId));
  const answers: Begun[] = [];
  const going: Array<{ index: number; attempt: AttemptRequest; job: AttemptJobRow; timestamp: number }> = [];
  requests.forEach(({ attempt, revision, timestamp }, index) => {
    const job = jobs.get(attempt.jobId);
    if (!job) answers[index] = { kind: 'gone' };
    else if (revision !== null && job.revision !== revision) answers[index] = { kind: 'changed', revision: job.revision };
    else going.push({ index, attempt, job, timestamp });
  });
  const started = await startAttempts(
    trx,
    // The row holds the request before it is sent: a receiver never sees a request its execution does not show.
    going.map(({ attempt, job, timestamp }) => ({
      ...attempt,
      organizationId: job.organization_id,
      scheduledFor: new Date(attempt.scheduledFor),
      request: requestToSend(jobRequest(job, attempt, ''), timestamp),
    })),
  );
  const firstScheduled = going.filter(({ attempt }) => attempt.attempt === 1 && attempt.trigger !== 'manual');
  await advanceLastFires(trx, firstScheduled.map(({ attempt }) => ({ jobId: attempt.jobId, scheduledFor: new Date(attempt.scheduledFor) })));

  const overLimit = await countUsage(
    trx,
    going.flatMap(({ attempt, job }, i) => {
      const { row, fresh } = started[i];
      return row ? [{ job, rowId: row.id, counts: fresh && attempt.attempt === 1 }] : [];
    }),
  );
  const skipped = await finishAttempts(
    trx,
    [...overLimit].map(([id, limit]) => ({ id, finish: { ...NOTHING, status: 'skipped' as const, error: `The plan's limit of ${limit} executions this month is reached.` } })),
  );
  const running: ExecutionRow[] = [];
  going.forEach(({ index, job }, i) => {
    const { row, claimed } = started[i];
    if (!row) return void (answers[index] = { kind: 'gone' });
    if (!claimed) return void (answers[index] = { kind: 'taken', job, row });
    if (overLimit.has(row.id)) return void (answers[index] = { kind: 'skipped' });
    answers[index] = { kind: 'started', job, row };
    running.push(row);
  });
  await announce(trx, [...skipped.values()], 'execution.finished');
  await announce(trx, running, 'execution.started');
  return answers;
}

/** Counts each organization's new first attempts in one go; answers those past its limit (the later ones), with the limit. */
async function countUsage(trx: Knex.Transaction, attempts: Array<{ job: AttemptJobRow; rowId: number; counts: boolean }>): Promise<Map<number, number>> {
  const byOrganization = new Map<number, typeof attempts>();
  for (const attempt of attempts.filter((a) => a.counts)) {
    const org = attempt.job.organization_id;
    byOrganization.set(org, [...(byOrganization.get(org) ?? []), attempt]);
  }
  const overLimit = new Map<number, number>();
  const month = usageMonth(new Date());
  for (const [org, list] of [...byOrganization].sort((a, b) => a[0] - b[0])) {
    const limit = limitsOf(list[0].job.plan).executionsPerMonth;
    const counted = await reserveExecutions(trx, org, month, limit, list.length);
    for (const { rowId } of list.slice(counted)) overLimit.set(rowId, limit);
  }
  return overLimit;
}

/** One announcement per row on its organization's jobs topic, topics in a fixed order (their counters are locked until commit). */
async function announce(trx: Knex.Transaction, rows: ExecutionRow[], event: string): Promise<void> {
  const byTopic = new Map<string, ExecutionRow[]>();
  for (const row of rows) {
    const topic = jobsTopic(row.organization_id);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), row]);
  }
  for (const [topic, list] of [...byTopic].sort((a, b) => a[0].localeCompare(b[0]))) {
    await publishAll(trx, topic, list.map((row) => ({ event, data: executionView(row) })));
  }
}
