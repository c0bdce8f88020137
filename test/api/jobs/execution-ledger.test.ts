import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createExecutionLedger } from '../../../activities/jobs/execution-ledger.ts';
import type { AttemptRequest } from '../../../activities/jobs/types.ts';
import type { Db } from '../../../db/connection.ts';
import { insertJob, type JobRow } from '../../../db/repositories/jobs.ts';
import { syncJobSchema } from '../../../domain/jobs/job-definition.ts';
import { usageMonth } from '../../../domain/jobs/plan-limits.ts';
import { testDb } from '../../support/app.ts';

/** The grouped execution writes: attempts begun together still each get what they would alone. */
describe('execution ledger (grouped attempt writes)', () => {
  let db: Db;
  let jobs: JobRow[];
  let topic: string;

  beforeEach(async () => {
    db = testDb();
    const [org] = await db('organizations').insert({ name: `Ledger ${randomUUID()}`, plan: 'free' }).returning('id');
    topic = `org:${org.id}:jobs`;
    jobs = [];
    for (const key of ['a', 'b', 'c']) jobs.push((await insertJob(db, org.id, syncJobSchema.parse({ key, name: key, url: 'http://127.0.0.1:10/', schedule: { kind: 'cron', expression: '* * * * *' } })))!);
  });

  const timestamp = Math.floor(Date.now() / 1000);
  const firstAttempt = (job: JobRow, scheduledFor: Date): AttemptRequest => ({ jobId: job.id, runId: randomUUID(), attempt: 1, scheduledFor: scheduledFor.toISOString(), trigger: 'schedule' });

  it('begins attempts asked together in one go: a row each, cursors moved, usage counted up to the plan limit and the rest skipped, each announced', async () => {
    const at = new Date(Date.now() - 5_000);
    // One execution left this month on the free plan.
    await db('job_usage').insert({ organization_id: jobs[0].organization_id, month: usageMonth(new Date()), executions: 4_999 });
    const ledger = createExecutionLedger(db);
    const begun = await Promise.all([ledger.begin({ attempt: firstAttempt(jobs[0], at), revision: jobs[0].revision, timestamp }), ledger.begin({ attempt: firstAttempt(jobs[1], at), revision: null, timestamp }), ledger.begin({ attempt: firstAttempt(jobs[2], at), revision: jobs[2].revision + 1, timestamp })]);

    expect(begun.map((b) => b.kind)).to.deep.equal(['started', 'skipped', 'changed']);
    const rows = await db('job_executions').whereIn('job_id', jobs.map((j) => j.id)).orderBy('job_id');
    expect(rows.map((r) => [r.job_id, r.status])).to.deep.equal([
      [jobs[0].id, 'running'],
      [jobs[1].id, 'skipped'],
    ]);
    // The running row shows the request before it leaves, its signature cut to the time; the skipped one sends nothing.
    expect(rows[0]).to.include({ request_method: jobs[0].method, request_url: jobs[0].url });
    expect(rows[0].request_headers).to.include({ 'x-pulseboard-execution-id': rows[0].run_id, 'x-pulseboard-attempt': '1', 'x-pulseboard-signature': `t=${timestamp}` });
    expect(rows[1].request_method).to.equal(null);
    // Begun 5 s late: the skipped one keeps the lateness it began with (it sent nothing that would restate it).
    expect(rows[1].lateness_ms).to.be.at.least(5_000);
    const cursors = await db('jobs').whereIn('id', jobs.map((j) => j.id)).orderBy('id').pluck('last_fire_at');
    expect(cursors.map((c: Date | null) => c?.getTime() ?? null)).to.deep.equal([at.getTime(), at.getTime(), null]);
    expect((await db('job_usage').where({ organization_id: jobs[0].organization_id }).first()).executions).to.equal(5_000);
    const events = await db('realtime_events').where({ topic }).orderBy('seq');
    expect(events.map((e) => [e.event, e.data.jobId])).to.have.deep.members([
      ['execution.finished', jobs[1].id],
      ['execution.started', jobs[0].id],
    ]);
    expect(events.map((e) => Number(e.seq))).to.deep.equal([1, 2]);
  });

  it('finishes attempts ended together in one go, each row with its outcome and announced; a deleted job’s row is gone', async () => {
    const ledger = createExecutionLedger(db);
    const begun = await Promise.all(jobs.map((job) => ledger.begin({ attempt: firstAttempt(job, new Date()), revision: null, timestamp })));
    const rows = begun.map((b) => (b.kind === 'started' ? b.row : null)!);
    await db('jobs').where({ id: jobs[2].id }).delete();
    const outcome = (status: 'success' | 'failed', statusCode: number) => ({ status, durationMs: 5, statusCode, responseHeaders: {}, responseBody: '', error: null, request: null });
    const finished = await Promise.all([ledger.finish({ row: rows[0], finish: outcome('success', 200) }), ledger.finish({ row: rows[1], finish: outcome('failed', 500) }), ledger.finish({ row: rows[2], finish: outcome('success', 200) })]);
    expect(finished.map((row) => row?.status ?? null)).to.deep.equal(['success', 'failed', null]);
    const events = await db('realtime_events').where({ topic, event: 'execution.finished' });
    expect(events.map((e) => e.data.status).sort()).to.deep.equal(['failed', 'success']);
  });
});
