import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { createOrg, signedInAs, type Session } from '../platform/helpers.ts';
import { startJobsHarness, type JobsHarness } from './support.ts';

/** The figures pages read in one request: the dashboard's stats, a job's days, the filtered list. */
describe('jobs API: stats, daily counts and the filtered list', function () {
  this.timeout(60_000);
  let harness: JobsHarness;
  let owner: Session;
  let orgId: number;

  before(async () => {
    harness = await startJobsHarness();
  });
  after(async () => {
    await harness?.stop();
  });
  beforeEach(async () => {
    owner = await signedInAs(harness.app);
    orgId = await createOrg(owner);
  });

  const get = (path: string) => owner.agent.get(`/api/v1/orgs/${orgId}${path}`);
  // Once a year: no fire comes while a test runs; the executions below are written as the worker would.
  const create = async (fields: Record<string, unknown>) =>
    (await owner.agent.post(`/api/v1/orgs/${orgId}/jobs`).set('X-CSRF-Token', owner.csrf).send({ url: 'https://example.com/hook', schedule: { kind: 'cron', expression: '0 3 1 1 *' }, ...fields }).expect(201)).body;
  /** A run as the worker writes it: one row per attempt, each retry a minute after the one before. */
  const recordRun = (jobId: number, status: string | string[], at: DateTime, trigger = 'schedule') => {
    const runId = randomUUID();
    return testDb()('job_executions').insert(
      [status].flat().map((s, i) => ({ job_id: jobId, organization_id: orgId, run_id: runId, attempt: i + 1, trigger, status: s, scheduled_for: at.plus({ minutes: i }).toJSDate(), started_at: at.toJSDate(), finished_at: at.toJSDate() })),
    );
  };
  const setStreak = (jobId: number, changes: Record<string, unknown>) => testDb()('jobs').where({ id: jobId }).update(changes);

  it('sums the last 24 hours by the hour, counts runs since the viewer’s midnight, and lists the jobs needing attention', async () => {
    const tz = 'Pacific/Kiritimati'; // UTC+14: its midnight is far from the server's
    const now = DateTime.now();
    const healthy = await create({ name: 'Healthy' });
    const failing = await create({ name: 'Failing' });
    const broken = await create({ name: 'Broken' });
    await setStreak(failing.id, { consecutive_failures: 2 });
    await setStreak(broken.id, { enabled: false, consecutive_failures: 5, disabled_reason: 'Disabled after 5 failed runs in a row.' });
    const midnight = now.setZone(tz).startOf('day');
    const runs: Array<[number, string | string[], DateTime]> = [
      [healthy.id, ['failed', 'success'], now.minus({ minutes: 70 })], // succeeded on its retry: a success
      [failing.id, ['timeout', 'pending'], now.minus({ minutes: 40 })], // still retrying: neither yet
      [healthy.id, 'success', now.minus({ hours: 5 })],
      [failing.id, 'failed', now.minus({ minutes: 20 })],
      [failing.id, 'timeout', now.minus({ hours: 3 })],
      [healthy.id, 'success', now.minus({ hours: 30 })], // before the window
      [healthy.id, 'missed', now.minus({ minutes: 10 })], // never ran: not a run
      // The viewer's yesterday, and older than the runs above even in the 20 minutes after their midnight.
      [healthy.id, 'success', DateTime.min(midnight.minus({ minutes: 1 }), now.minus({ minutes: 25 }))],
    ];
    for (const [jobId, status, at] of runs) await recordRun(jobId, status, at);

    const stats = (await get(`/jobs/stats?hours=24&tz=${tz}`).expect(200)).body;
    const last = (status: string | string[]) => [status].flat().at(-1);
    const inWindow = runs.filter(([, status, at]) => at >= now.minus({ hours: 24 }) && ['success', 'failed', 'timeout'].includes(last(status)!));
    const failures = inWindow.filter(([, status]) => last(status) !== 'success').length;
    expect(stats).to.include({ totalJobs: 3, activeJobs: 2, failures24h: failures, successRate24h: (inWindow.length - failures) / inWindow.length });
    expect(failures).to.equal(2);
    const today = runs.filter(([, status, at]) => status !== 'missed' && at >= midnight).length;
    expect(stats.runsToday).to.equal(today);
    expect(stats.attention).to.deep.equal([
      { jobId: broken.id, name: 'Broken', reason: 'disabled_by_failures', consecutiveFailures: 5 },
      { jobId: failing.id, name: 'Failing', reason: 'failing', consecutiveFailures: 2 },
    ]);

    // Every hour of the window is there, oldest first, and the bars add up to the numbers.
    expect(stats.hourly[0].hour).to.equal(now.minus({ hours: 24 }).startOf('hour').toUTC().toISO());
    expect(stats.hourly.at(-1).hour).to.equal(now.startOf('hour').toUTC().toISO());
    const sum = (key: 'succeeded' | 'failed') => stats.hourly.reduce((n: number, h: Record<string, number>) => n + h[key], 0);
    expect([sum('succeeded'), sum('failed')]).to.deep.equal([inWindow.length - failures, failures]);
    const twentyMinutesAgo = stats.hourly.find((h: { hour: string }) => h.hour === now.minus({ minutes: 20 }).startOf('hour').toUTC().toISO());
    expect(twentyMinutesAgo.failed).to.be.at.least(1);
    expect(stats.recent.map((e: { jobName: string; status: string }) => [e.jobName, e.status])[0]).to.deep.equal(['Failing', 'failed']);

    // In a half-hour zone the bars start at the viewer's :00.
    const india = (await get('/jobs/stats?tz=Asia/Kolkata').expect(200)).body;
    expect(DateTime.fromISO(india.hourly[0].hour).setZone('Asia/Kolkata').minute).to.equal(0);
  });

  it('groups one job’s executions by the viewer’s calendar day, across their midnight', async () => {
    const job = await create({ name: 'Daily' });
    const tz = 'America/New_York';
    const midnight = DateTime.now().setZone(tz).startOf('day');
    await recordRun(job.id, 'success', midnight.minus({ minutes: 1 }));
    await recordRun(job.id, 'failed', midnight.plus({ seconds: 1 }));
    await recordRun(job.id, 'skipped', midnight.plus({ seconds: 2 }));
    // Its retries land on the same day as the run: one run, failed then succeeded, is one success.
    await recordRun(job.id, ['failed', 'failed', 'success'], midnight.minus({ minutes: 30 }));

    const days = (await get(`/jobs/${job.id}/daily?days=30&tz=${tz}`).expect(200)).body;
    expect(days).to.have.length(30);
    expect(days.at(-1)).to.deep.equal({ date: midnight.toISODate(), succeeded: 0, failed: 1, total: 2 });
    expect(days.at(-2)).to.deep.equal({ date: midnight.minus({ days: 1 }).toISODate(), succeeded: 2, failed: 0, total: 2 });
    expect(days[0].date).to.equal(midnight.minus({ days: 29 }).toISODate());

    // Two minutes around New York's midnight are one day in Tokyo.
    const tokyo = (await get(`/jobs/${job.id}/daily?days=7&tz=Asia/Tokyo`).expect(200)).body;
    const tokyoDay = midnight.setZone('Asia/Tokyo').toISODate();
    expect(tokyo.find((d: { date: string }) => d.date === tokyoDay)).to.include({ succeeded: 2, failed: 1, total: 4 });
  });

  it('exports a job’s history as CSV and NDJSON, filtered as the list, newest first', async () => {
    const job = await create({ name: 'Exported', key: 'exported' });
    const now = DateTime.now();
    await recordRun(job.id, 'success', now.minus({ minutes: 2 }));
    await recordRun(job.id, ['failed', 'success'], now.minus({ minutes: 1 }));
    await testDb()('job_executions').where({ job_id: job.id, status: 'failed' }).update({ status_code: 500, error: 'HTTP 500, "busy", try later' });

    const csv = await get(`/jobs/${job.id}/executions/export?format=csv`).expect(200);
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    expect(csv.headers['content-disposition']).to.match(/^attachment; filename="?exported-executions.csv"?$/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).to.equal('id,runId,attempt,trigger,status,scheduledFor,startedAt,finishedAt,durationMs,latenessMs,statusCode,error');
    expect(lines).to.have.length(4);
    expect(csv.text).to.contain(',500,"HTTP 500, ""busy"", try later"');

    const ndjson = await get(`/jobs/${job.id}/executions/export?status=failed`).expect(200);
    expect(ndjson.headers['content-type']).to.match(/^application\/x-ndjson/);
    const records = ndjson.text.trim().split('\n').map((line: string) => JSON.parse(line));
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ status: 'failed', attempt: 1, statusCode: 500, trigger: 'schedule' });
    await get(`/jobs/${job.id}/executions/export?format=xml`).expect(422);
  });

  it('refuses bad figures input with 422 and hides the figures from another organization (404)', async () => {
    const job = await create({ name: 'Mine' });
    for (const query of ['hours=0', 'hours=1000', 'hours=x', 'tz=Mars/Olympus']) await get(`/jobs/stats?${query}`).expect(422);
    for (const query of ['days=0', 'days=91', 'tz=%2B02:00']) await get(`/jobs/${job.id}/daily?${query}`).expect(422);
    for (const query of ['sort=oldest', 'health=sick', 'enabled=yes']) await get(`/jobs?${query}`).expect(422);

    const stranger = await signedInAs(harness.app);
    await stranger.agent.get(`/api/v1/orgs/${orgId}/jobs/stats`).expect(404);
    await stranger.agent.get(`/api/v1/orgs/${orgId}/jobs/${job.id}/daily`).expect(404);
    const otherOrg = await createOrg(stranger);
    await stranger.agent.get(`/api/v1/orgs/${otherOrg}/jobs/${job.id}/daily`).expect(404);
    expect((await stranger.agent.get(`/api/v1/orgs/${otherOrg}/jobs/stats`).expect(200)).body).to.include({ totalJobs: 0, runsToday: 0, successRate24h: null });
    await request(harness.app).get(`/api/v1/orgs/${orgId}/jobs/stats`).expect(401);
  });

  it('searches, filters and sorts the list on the server, each job with its last run (manual runs too)', async () => {
    const now = DateTime.now();
    const alpha = await create({ name: 'Alpha backup', key: 'alpha', url: 'https://backup.example.com/run' });
    const beta = await create({ name: 'beta report', key: 'reports-weekly' });
    const gamma = await create({ name: 'Gamma', key: 'gamma' });
    await recordRun(alpha.id, 'failed', now.minus({ hours: 2 }));
    await recordRun(alpha.id, 'success', now.minus({ minutes: 1 }), 'manual');
    await recordRun(alpha.id, 'pending', now.minus({ seconds: 10 }));
    await recordRun(beta.id, 'timeout', now.minus({ hours: 1 }));
    await setStreak(beta.id, { consecutive_failures: 1 });
    await setStreak(gamma.id, { enabled: false, consecutive_failures: 3, disabled_reason: 'Disabled after 3 failed runs in a row.' });

    const names = async (query: string) => (await get(`/jobs?${query}`).expect(200)).body.items.map((j: { name: string }) => j.name);
    expect(await names('')).to.deep.equal(['Gamma', 'beta report', 'Alpha backup']);
    expect(await names('sort=name')).to.deep.equal(['Alpha backup', 'beta report', 'Gamma']);
    expect(await names('sort=last_run')).to.deep.equal(['Alpha backup', 'beta report', 'Gamma']);
    expect(await names('q=BACKUP.example')).to.deep.equal(['Alpha backup']);
    expect(await names('q=weekly')).to.deep.equal(['beta report']);
    expect(await names('q=report%20beta')).to.deep.equal(['beta report']);
    expect(await names('q=100%25')).to.deep.equal([]);
    expect(await names('enabled=false')).to.deep.equal(['Gamma']);
    expect(await names('health=healthy')).to.deep.equal(['Alpha backup']);
    expect(await names('health=failing')).to.deep.equal(['beta report']);
    expect(await names('health=disabled&enabled=false')).to.deep.equal(['Gamma']);

    const page = (await get('/jobs?sort=last_run&pageSize=2').expect(200)).body;
    expect(page.total).to.equal(3);
    expect(page.items[0].lastRun).to.deep.equal({ status: 'success', at: now.minus({ minutes: 1 }).toUTC().toISO() });
    expect(page.items[1].lastRun.status).to.equal('timeout');
    expect((await get('/jobs?q=gamma').expect(200)).body.items[0].lastRun).to.equal(null);
  });
});
