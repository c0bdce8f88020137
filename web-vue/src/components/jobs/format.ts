/** How jobs and executions read on screen. */
import { DateTime } from 'luxon';
import type { ExecutionStatus, Job } from '../../api/jobs';

/** 8 ms, 1.2 s, 2 min 5 s: a duration or a lateness at the precision a person reads. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** "Mon, Nov 23, 09:00:00 CET": a fire time in the zone it is scheduled in, the zone named. */
export function formatInZone(iso: string, zone: string): string {
  const at = DateTime.fromISO(iso, { zone });
  return `${at.toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, second: '2-digit' })} ${at.offsetNameShort ?? zone}`;
}

/** "Nov 23, 2026, 7:33:45 PM": an execution's moment in the viewer's zone, to the second (jobs fire every few seconds). */
export function formatToSecond(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED_WITH_SECONDS);
}

/** The raw schedule, beside its plain-English description: the expression, or the instant. */
export function scheduleSource(job: Pick<Job, 'schedule'>): string {
  return job.schedule.kind === 'cron' ? job.schedule.expression : job.schedule.at;
}

export const STATUS_LABELS: Record<ExecutionStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  success: 'Success',
  failed: 'Failed',
  timeout: 'Timed out',
  missed: 'Missed',
  skipped: 'Skipped',
};

export const STATUS_TONES: Record<ExecutionStatus, string> = {
  pending: 'badge-ghost',
  running: 'badge-info',
  success: 'badge-success',
  failed: 'badge-error',
  timeout: 'badge-error',
  missed: 'badge-warning',
  skipped: 'badge-ghost',
};
