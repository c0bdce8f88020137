/**
 * Plain-English schedules for the job form, the job pages and the API, e.g. "At 09:00, Monday
 * through Friday, Europe/Berlin". Sentences come from cronstrue (seconds, L, W and # included).
 */
import cronstrue from 'cronstrue';
import { DateTime } from 'luxon';

/** `expression` must be valid (see cronExpressionError). */
export function describeCron(expression: string): string {
  return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
}

/** The whole schedule in a sentence, with the job's zone its times are read in. */
export function describeSchedule(schedule: { kind: 'cron'; expression: string } | { kind: 'once'; at: string }, timezone: string): string {
  if (schedule.kind === 'cron') return `${describeCron(schedule.expression)}, ${timezone}`;
  return `Once, on ${DateTime.fromISO(schedule.at, { zone: timezone }).toFormat("yyyy-MM-dd 'at' HH:mm")}, ${timezone}`;
}
