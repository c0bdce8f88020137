import type { Db } from '../connection.ts';
import type { DayCount } from '../../domain/jobs/day-count.ts';

/**
 * Figures over an organization's (or one job's) executions, summed in PostgreSQL so a page asks
 * once however many jobs there are. Hours and days are the viewer's (`tz`): a day starts at their
 * midnight, and an hour in a half-hour zone at their :00. They count runs, not attempts: a run is
 * at its first attempt's time and ends as its last attempt did, so one that succeeded on a retry
 * is a success. A run still retrying is neither a success nor a failure yet.
 */

/** Each run: its first attempt's time and its last attempt's status; `where` filters the first attempts (`f`). */
const runsWhere = (where: string) => `
  select f.scheduled_for, l.status
  from job_executions f
  cross join lateral (
    select status from job_executions l where l.job_id = f.job_id and l.run_id = f.run_id order by l.attempt desc limit 1
  ) l
  where f.attempt = 1 and ${where}`;

export interface HourCount {
  hour: Date;
  succeeded: number;
  failed: number;
}

export interface ExecutionFigures {
  /** One entry per hour the window touches, oldest first (the first and the current one partly). */
  hourly: HourCount[];
  runsToday: number;
}

/** The last `hours` hours by the hour, and the runs begun since the viewer's midnight (which may lie before the window). */
export async function executionFigures(db: Db, organizationId: number, window: { hours: number; tz: string }): Promise<ExecutionFigures> {
  const { rows } = await db.raw<{ rows: Array<HourCount & { runs_today: number }> }>(
    `with bounds as (
       select now() - make_interval(hours => :hours) as since, date_trunc('day', now(), :tz) as midnight
     ),
     runs as (${runsWhere(`f.organization_id = :organizationId
         and f.scheduled_for >= (select least(since, midnight) from bounds) and f.scheduled_for <= now()
         and f.status not in ('missed', 'skipped')`)}
     ),
     counted as (
       select date_trunc('hour', r.scheduled_for, :tz) as hour,
              count(*) filter (where r.scheduled_for >= b.since and r.status = 'success') as succeeded,
              count(*) filter (where r.scheduled_for >= b.since and r.status in ('failed', 'timeout')) as failed,
              count(*) filter (where r.scheduled_for >= b.midnight) as today
       from runs r, bounds b
       group by 1
     )
     select series.hour, coalesce(c.succeeded, 0)::int as succeeded, coalesce(c.failed, 0)::int as failed,
            (select coalesce(sum(today), 0) from counted)::int as runs_today
     from bounds b,
          generate_series(date_trunc('hour', b.since, :tz), date_trunc('hour', now(), :tz), interval '1 hour') as series(hour)
          left join counted c on c.hour = series.hour
     order by series.hour`,
    { organizationId, hours: window.hours, tz: window.tz },
  );
  return { hourly: rows.map(({ hour, succeeded, failed }) => ({ hour, succeeded, failed })), runsToday: rows[0]?.runs_today ?? 0 };
}

export interface AttentionJob {
  jobId: number;
  name: string;
  reason: 'failing' | 'disabled_by_failures';
  consecutiveFailures: number;
}

/** How many jobs there are and run, and which ones fail or turned themselves off (longest streak first). */
export async function jobFigures(db: Db, organizationId: number): Promise<{ totalJobs: number; activeJobs: number; attention: AttentionJob[] }> {
  const { rows } = await db.raw<{ rows: Array<{ total_jobs: number; active_jobs: number; attention: AttentionJob[] }> }>(
    `select count(*)::int as total_jobs,
            (count(*) filter (where enabled))::int as active_jobs,
            coalesce(
              json_agg(json_build_object(
                'jobId', id, 'name', name, 'consecutiveFailures', consecutive_failures,
                'reason', case when disabled_reason is null then 'failing' else 'disabled_by_failures' end
              ) order by consecutive_failures desc, lower(name), id)
              filter (where consecutive_failures > 0 or disabled_reason is not null),
              '[]'
            ) as attention
     from jobs where organization_id = :organizationId`,
    { organizationId },
  );
  const [{ total_jobs: totalJobs, active_jobs: activeJobs, attention }] = rows;
  return { totalJobs, activeJobs, attention };
}

/** One job's last `days` days of runs in the viewer's zone, today last, days without runs included. */
export async function dailyCounts(db: Db, jobId: number, range: { days: number; tz: string }): Promise<DayCount[]> {
  const { rows } = await db.raw<{ rows: DayCount[] }>(
    `with first_day as (
       select (now() at time zone :tz)::date - (:days - 1) as day
     ),
     runs as (${runsWhere(`f.job_id = :jobId and f.scheduled_for >= (select day::timestamp at time zone :tz from first_day)`)}
     ),
     counted as (
       select (r.scheduled_for at time zone :tz)::date as day,
              count(*) filter (where r.status = 'success') as succeeded,
              count(*) filter (where r.status in ('failed', 'timeout')) as failed,
              count(*) as total
       from runs r
       group by 1
     )
     select to_char(d.day, 'YYYY-MM-DD') as date,
            coalesce(c.succeeded, 0)::int as succeeded, coalesce(c.failed, 0)::int as failed, coalesce(c.total, 0)::int as total
     from first_day f, generate_series(0, :days - 1) as n, lateral (select f.day + n as day) d
          left join counted c on c.day = d.day
     order by d.day`,
    { jobId, days: range.days, tz: range.tz },
  );
  return rows;
}
