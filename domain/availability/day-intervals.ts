import { WEEKDAYS, type DateOverride, type LocalInterval, type WeeklyTemplate } from './schemas.ts';

/** The working intervals of one local date: its override when there is one, else its weekday's template. */
export function intervalsForDate(date: string, template: WeeklyTemplate, overrides: readonly DateOverride[]): LocalInterval[] {
  const override = overrides.find((o) => o.date === date);
  if (override) return 'closed' in override ? [] : override.intervals;
  // A calendar date's weekday needs no zone: read it as a UTC date (getUTCDay: 0 = Sunday).
  const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  return template[weekday] ?? [];
}
