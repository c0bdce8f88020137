import { DateTime } from 'luxon';
import { WEEKDAYS, type DateOverride, type LocalInterval, type WeeklyTemplate } from './schemas.ts';

/** The working intervals of one local date: its override when there is one, else its weekday's template. */
export function intervalsForDate(date: string, template: WeeklyTemplate, overrides: readonly DateOverride[]): LocalInterval[] {
  const override = overrides.find((o) => o.date === date);
  if (override) return 'closed' in override ? [] : override.intervals;
  const weekday = WEEKDAYS[DateTime.fromISO(date, { zone: 'UTC' }).weekday - 1];
  return template[weekday] ?? [];
}
