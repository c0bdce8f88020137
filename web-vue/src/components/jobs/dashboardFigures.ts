import { DateTime } from 'luxon';
import { FAILED_STATUSES, jobsApi, type Execution, type ExecutionStatus, type Job } from '../../api/jobs';
import type { Id } from '../../api/types';
import { runLimited } from './runLimited';

/** Statuses of an attempt that ran to an end: what runs, failures and the success rate count. */
export const FINISHED_STATUSES: ExecutionStatus[] = ['success', ...FAILED_STATUSES];
/** The chart's window: the last 24 hours, an hour a bar. */
export const CHART_HOURS = 24;
/** Executions fetched per job for the chart and the recent list. */
const SAMPLE_SIZE = 200;

export interface DashboardFigures {
  runsToday: number;
  failures24h: number;
  succeeded24h: number;
  /** The last 24 hours' finished executions of every job, newest first (at most SAMPLE_SIZE a job). */
  recent: Execution[];
  /** A job ran more often than the sample holds: the chart shows only part of the day. */
  sampled: boolean;
}

/**
 * The dashboard's numbers, added up over the organization's jobs. The API has no organization-wide
 * figures, so each job is asked for its counts (exact, by `total`) and for its latest executions.
 */
export async function loadDashboardFigures(orgId: Id, jobs: Job[]): Promise<DashboardFigures> {
  const now = DateTime.now();
  const dayAgo = now.minus({ hours: CHART_HOURS }).toUTC().toISO()!;
  const midnight = now.startOf('day').toUTC().toISO()!;
  const figures: DashboardFigures = { runsToday: 0, failures24h: 0, succeeded24h: 0, recent: [], sampled: false };
  await runLimited(
    jobs.map((job) => async () => {
      const [today, failed, latest] = await Promise.all([
        jobsApi.countExecutions(orgId, job.id, { status: FINISHED_STATUSES, from: midnight }),
        jobsApi.countExecutions(orgId, job.id, { status: FAILED_STATUSES, from: dayAgo }),
        jobsApi.executions(orgId, job.id, { status: FINISHED_STATUSES, from: dayAgo, pageSize: SAMPLE_SIZE }),
      ]);
      figures.runsToday += today;
      figures.failures24h += failed;
      figures.succeeded24h += latest.total - failed;
      figures.recent.push(...latest.items);
      if (latest.total > latest.items.length) figures.sampled = true;
    }),
  );
  figures.recent.sort((a, b) => (b.startedAt ?? b.scheduledFor).localeCompare(a.startedAt ?? a.scheduledFor));
  return figures;
}

/** Counts an execution that just finished, as the relay announced it. */
export function countFinished(figures: DashboardFigures, execution: Execution): void {
  if (!FINISHED_STATUSES.includes(execution.status) || figures.recent.some((e) => e.id === execution.id)) return;
  figures.runsToday += 1;
  if (execution.status === 'success') figures.succeeded24h += 1;
  else figures.failures24h += 1;
  figures.recent.unshift(execution);
}
