/**
 * One-time jobs whose time has passed when they are saved: refused, unless the schedule says
 * `runIfPast`, then run once, late. Pure, for the API and the actor alike (no cron-parser here).
 */
import type { JobSchedule } from './schedule.ts';

/**
 * Where the plan of a one-time job that may run late (`runIfPast`) starts: just before its time,
 * unless it already fired at or after it. Other schedules start at `cursor` as given.
 */
export function cursorFor(schedule: JobSchedule, cursor: Date, lastFiredAt: Date | null): Date {
  if (schedule.kind !== 'once' || !schedule.runIfPast) return cursor;
  const at = new Date(schedule.at);
  if (lastFiredAt && lastFiredAt >= at) return cursor;
  return new Date(Math.min(cursor.getTime(), at.getTime() - 1));
}

/** Why a one-time schedule cannot be saved now: its time has passed and it does not say to run late. */
export function pastOnceError(schedule: { kind: string; at?: string; runIfPast?: boolean }, now: Date): string | null {
  if (schedule.kind !== 'once' || schedule.runIfPast || !schedule.at || new Date(schedule.at) > now) return null;
  return 'this time has passed; a one-time job would never run. Choose a later time, or set schedule.runIfPast to true to run it once now';
}
