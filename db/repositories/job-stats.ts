import type { Db } from '../connection.ts';

/**
 * Figures over an organization's (or one job's) executions, summed in PostgreSQL so a page asks
 * once however many jobs there are. Hours and days are the viewer's (`tz`): a day starts at their
 * midnight, and an hour in a half-hour zone at their :00. Only attempts that ran to an end count:
 * success, or failed / timed out.
 */

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

/** The last `hours` hours by the hour, and the runs since the viewer's midnight (which may lie before the window). */
export async function executionFigures(db: Db, organizationId: number, window: { hours: number; tz: string }): Promise<ExecutionFigures> {
  const { rows } = await db.raw<{ rows: Array<HourCount & { runs_today: number }> }>(
    `with bounds as (
       select now() - make_interval(hours => :hours) as since, date_trunc('day', now(), :tz) as midnight
     ),
     counted as (
       select date_trunc('hour', e.scheduled_for, :tz) as hour,
              count(*) filter (where e.scheduled_for >= b.since and e.status = 'success') as succeeded,
              count(*) filter (where e.scheduled_for >= b.since and e.status <> 'success') as failed,
              count(*) filter (where e.scheduled_for >= b.midnight) as today
       from job_executions e, bounds b
       where e.organization_id = :organizationId
         and e.scheduled_for >= least(b.since, b.midnight) and e.scheduled_for <= now()
         and e.status in ('success', 'failed', 'timeout')
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

export interface DayCount {
  /** The viewer's calendar day, YYYY-MM-DD. */
  date: string;
  succeeded: number;
  failed: number;
  /** Every execution scheduled that day: also running, pending, missed and skipped ones. */
  total: number;
}

/** One job's last `days` days in the viewer's zone, today last, days without executions included. */
export async function dailyCounts(db: Db, jobId: number, range: { days: number; tz: string }): Promise<DayCount[]> {
  const { rows } = await db.raw<{ rows: DayCount[] }>(
    `with first_day as (
       select (now() at time zone :tz)::date - (:days - 1) as day
     ),
     counted as (
       select (e.scheduled_for at time zone :tz)::date as day,
              count(*) filter (where e.status = 'success') as succeeded,
              count(*) filter (where e.status in ('failed', 'timeout')) as failed,
              count(*) as total
       from job_executions e, first_day f
       where e.job_id = :jobId and e.scheduled_for >= (f.day::timestamp at time zone :tz)
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
