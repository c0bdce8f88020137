import type { Db } from '../db/connection.ts';
import { insertJob } from '../db/repositories/jobs.ts';
import { pruneExecutionHistory } from '../db/repositories/execution-retention.ts';
import { limitsOf } from '../domain/jobs/plan-limits.ts';
import { syncJobSchema } from '../domain/jobs/job-definition.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { withBenchDatabase } from './support/postgres.ts';

/**
 * History retention beside a busy service: executions are written at FIRES_PER_SECOND (300 fires a
 * second, one finished attempt each) for SECONDS while a backlog of rows past the plan's history is
 * pruned by pruneExecutionHistory, as the API's timer runs it. The backlog is what 300 fires a
 * second leave behind in BACKLOG_MINUTES; the pruning keeps up when it deletes rows faster than
 * they are written. Baseline, in the same run on the same rows and the same writes: one plain bulk
 * DELETE of everything past the history.
 */
const FIRES_PER_SECOND = 300;
const SECONDS = 40;
const BACKLOG_MINUTES = 10;
const ORGS = 10;
const JOBS_PER_ORG = 30;
/** The writer's beat: each a multi-row insert, as the execution ledger groups an attempt's writes. */
const TICK_MS = 50;
const DAY_MS = 24 * 3600_000;

interface Phase {
  writtenPerSecond: number;
  writeP99Ms: number;
  prunedRows: number;
  pruneSeconds: number;
  prunedPerSecond: number;
}

async function seed(db: Db): Promise<number[]> {
  const jobIds: number[] = [];
  for (let o = 0; o < ORGS; o++) {
    const [org] = await db('organizations').insert({ name: `Retention ${o}`, plan: 'free' }).returning('id');
    for (let j = 0; j < JOBS_PER_ORG; j++) {
      const job = await insertJob(db, org.id, syncJobSchema.parse({ key: `job-${j}`, name: `Job ${j}`, url: 'https://hooks.example.test/x', schedule: { kind: 'cron', expression: '* * * * *' } }));
      jobIds.push(job!.id);
    }
  }
  return jobIds;
}

/** BACKLOG_MINUTES of fires, due between a day and a day + BACKLOG_MINUTES past the free plan's history. */
async function loadBacklog(db: Db): Promise<number> {
  const rows = FIRES_PER_SECOND * 60 * BACKLOG_MINUTES;
  const oldest = Date.now() - (limitsOf('free').historyDays + 1) * DAY_MS - BACKLOG_MINUTES * 60_000;
  await db.raw(
    `insert into job_executions (job_id, organization_id, run_id, attempt, trigger, status, scheduled_for, status_code)
     select j.id, j.organization_id, 'backlog-' || g, 1, 'schedule', 'success', to_timestamp(?::double precision / 1000) + g * interval '1 millisecond', 200
     from generate_series(0, ? - 1) g
     join (select id, organization_id, row_number() over (order by id) - 1 as n from jobs) j on j.n = g % ?`,
    [oldest, rows, ORGS * JOBS_PER_ORG],
  );
  return rows;
}

/** Writes fires at FIRES_PER_SECOND until `stop`, each tick catching up with the clock; answers its figures. */
async function writeFires(db: Db, jobIds: number[], phase: string, stop: Promise<void>): Promise<{ written: number; seconds: number; latencies: number[] }> {
  let done = false;
  void stop.then(() => (done = true));
  const started = Date.now();
  const latencies: number[] = [];
  let written = 0;
  while (!done) {
    const due = Math.floor(((Date.now() - started) / 1000) * FIRES_PER_SECOND) - written;
    if (due > 0) {
      const now = Date.now();
      const rows = Array.from({ length: due }, (_, i) => {
        const n = written + i;
        const jobId = jobIds[n % jobIds.length];
        return { job_id: jobId, run_id: `${phase}-${n}`, attempt: 1, trigger: 'schedule', status: 'success', scheduled_for: new Date(started + n), status_code: 200, started_at: new Date(now), finished_at: new Date(now) };
      });
      const sent = performance.now();
      await db.raw(
        `insert into job_executions (job_id, organization_id, run_id, attempt, trigger, status, scheduled_for, status_code, started_at, finished_at)
         select r.job_id, j.organization_id, r.run_id, r.attempt, r.trigger, r.status, r.scheduled_for, r.status_code, r.started_at, r.finished_at
         from jsonb_to_recordset(?::jsonb) as r(job_id bigint, run_id text, attempt int, trigger text, status text, scheduled_for timestamptz, status_code int, started_at timestamptz, finished_at timestamptz)
         join jobs j on j.id = r.job_id`,
        [JSON.stringify(rows)],
      );
      latencies.push(performance.now() - sent);
      written += due;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return { written, seconds: (Date.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

/** Loads the backlog, then writes for SECONDS while `prune` deletes it; the figures of both. */
async function phase(db: Db, jobIds: number[], name: string, prune: () => Promise<number>): Promise<Phase> {
  await loadBacklog(db);
  await db.raw('analyze job_executions');
  const stop = new Promise<void>((resolve) => setTimeout(resolve, SECONDS * 1000));
  const writing = writeFires(db, jobIds, name, stop);
  // Let the writer reach its pace before the pruning starts.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const pruneStarted = performance.now();
  const prunedRows = await prune();
  const pruneSeconds = (performance.now() - pruneStarted) / 1000;
  const writes = await writing;
  return {
    writtenPerSecond: Math.round(writes.written / writes.seconds),
    writeP99Ms: Number(percentile(writes.latencies, 99).toFixed(1)),
    prunedRows,
    pruneSeconds: Number(pruneSeconds.toFixed(2)),
    prunedPerSecond: Math.round(prunedRows / pruneSeconds),
  };
}

const bulkDelete = (db: Db) => async () =>
  (await db.raw(`delete from job_executions where scheduled_for < now() - make_interval(days => ?) and status not in ('pending', 'running')`, [limitsOf('free').historyDays])).rowCount ?? 0;

export default async function run(): Promise<BenchResult> {
  return withBenchDatabase('execution_retention', 8, async (db) => {
    const jobIds = await seed(db);
    const baseline = await phase(db, jobIds, 'baseline', bulkDelete(db));
    const figures = await phase(db, jobIds, 'pruned', () => pruneExecutionHistory(db));
    const expected = FIRES_PER_SECOND * 60 * BACKLOG_MINUTES;
    const keepsUp = figures.prunedPerSecond / figures.writtenPerSecond;
    return {
      name: 'execution-retention',
      figures: { ...figures, prunedPerWritten: Number(keepsUp.toFixed(1)) },
      baseline: { ...baseline, prunedPerWritten: Number((baseline.prunedPerSecond / baseline.writtenPerSecond).toFixed(1)) },
      goal: { prunedPerSecond: `>= rows written per second (${FIRES_PER_SECOND} fires/s), the whole backlog pruned`, writtenPerSecond: `>= ${FIRES_PER_SECOND * 0.95} while pruning` },
      met: keepsUp >= 1 && figures.prunedRows === expected && baseline.prunedRows === expected && figures.writtenPerSecond >= FIRES_PER_SECOND * 0.95,
    };
  });
}

if (isMain(import.meta.url)) printResult(await run());
