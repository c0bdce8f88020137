import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../../api/app.ts';
import { insertJob } from '../../../db/repositories/jobs.ts';
import { pruneExecutionHistory } from '../../../db/repositories/execution-retention.ts';
import { syncJobSchema } from '../../../domain/jobs/job-definition.ts';
import { testContext, testDb } from '../../support/app.ts';
import { orgWithApiKey } from './support.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { pruneEvents } from '../../../db/realtime/prune.ts';
import { jobsTopic } from '../../../db/repositories/job-views.ts';

const DAY = 24 * 3600_000;

/**
 * History retention per plan: executions (each attempt a row) older than the organization's plan
 * keeps (free 30 days, pro 365) are deleted; recent ones, and attempts still pending or running,
 * stay. Rows are written as the runs write them, at chosen ages.
 */
describe('job history retention', function () {
  this.timeout(30_000);

  async function orgWithHistory(plan: 'free' | 'pro', ages: Array<{ days: number; status?: string; attempts?: number }>) {
    const { orgId } = await orgWithApiKey(createApp(testContext()));
    await testDb()('organizations').where({ id: orgId }).update({ plan });
    const job = (await insertJob(testDb(), orgId, syncJobSchema.parse({ key: 'kept', name: 'Kept', url: 'https://hooks.example.test/x', schedule: { kind: 'cron', expression: '0 3 * * *' } })))!;
    const now = Date.now();
    for (const { days, status = 'failed', attempts = 1 } of ages) {
      const runId = randomUUID();
      const at = new Date(now - days * DAY);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        await testDb()('job_executions').insert({ job_id: job.id, organization_id: orgId, run_id: runId, attempt, trigger: 'schedule', status, scheduled_for: new Date(at.getTime() + attempt * 10_000), error: status === 'failed' ? 'status 500' : null });
      }
    }
    const ageOf = async () => (await testDb()('job_executions').where({ organization_id: orgId }).select('scheduled_for', 'attempt').orderBy('scheduled_for')).map((row) => [Math.round((now - row.scheduled_for.getTime()) / DAY), row.attempt]);
    return { orgId, ageOf };
  }

  it('deletes what is older than the plan keeps and keeps the rest', async () => {
    const free = await orgWithHistory('free', [{ days: 45, attempts: 3 }, { days: 31 }, { days: 29, attempts: 2 }, { days: 1, status: 'success' }, { days: 40, status: 'pending' }]);
    const pro = await orgWithHistory('pro', [{ days: 400, attempts: 2 }, { days: 200, status: 'success' }, { days: 31 }]);

    const deleted = await pruneExecutionHistory(testDb());
    expect(deleted).to.be.at.least(6);

    // Free: a run 45 days old with its three attempts and one 31 days old went; 29 days and younger stay, and a retry still pending.
    expect(await free.ageOf()).to.deep.equal([[40, 1], [29, 1], [29, 2], [1, 1]]);
    // Pro keeps a year.
    expect(await pro.ageOf()).to.deep.equal([[200, 1], [31, 1]]);

    // Nothing more to do the second time.
    expect(await pruneExecutionHistory(testDb())).to.equal(0);
  });

  it('drops the announcements of executions sooner than any plan keeps them: a day at most', async () => {
    const { orgId } = await orgWithHistory('pro', []);
    const topic = jobsTopic(orgId);
    const old = await publish(testDb(), topic, 'execution.finished', { id: 1 });
    const recent = await publish(testDb(), topic, 'execution.finished', { id: 2 });
    await testDb()('realtime_events').where({ topic, seq: old }).update({ created_at: new Date(Date.now() - 2 * DAY) });

    await pruneEvents(testDb());
    expect(await testDb()('realtime_events').where({ topic }).orderBy('seq').pluck('seq')).to.deep.equal([recent]);
  });
});
