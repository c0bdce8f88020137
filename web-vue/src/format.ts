import { DateTime } from 'luxon';

/** Every time on screen is in the viewer's own zone and locale. */
export function formatDateTime(iso: string): string {
  return DateTime.fromISO(iso).toLocal().toLocaleString(DateTime.DATETIME_MED);
}

const RELATIVE_UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/**
 * "in 7 days", "3 minutes ago": the largest unit the distance nearly fills, rounded to the nearest
 * (luxon's toRelative truncates, so a 7-day invitation read "expires in 6 days" from its first second).
 */
export function formatRelative(iso: string, now = Date.now()): string {
  const distance = Date.parse(iso) - now;
  if (Number.isNaN(distance)) return formatDateTime(iso);
  const [unit, size] = RELATIVE_UNITS.find(([, size]) => Math.abs(distance) >= 0.9 * size) ?? RELATIVE_UNITS[RELATIVE_UNITS.length - 1];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }).format(Math.sign(distance) * Math.round(Math.abs(distance) / size), unit);
}

/** A value for <input type="datetime-local"> (viewer's zone) to an ISO UTC instant. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const parsed = DateTime.fromISO(value);
  return parsed.isValid ? parsed.toUTC().toISO()! : undefined;
}

/** An ISO instant as <input type="datetime-local"> shows it, in the viewer's zone. */
export function isoToLocalInput(iso: string): string {
  return DateTime.fromISO(iso).toLocal().toFormat("yyyy-MM-dd'T'HH:mm");
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2)).toUpperCase();
}
