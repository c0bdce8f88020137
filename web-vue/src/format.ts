import { DateTime } from 'luxon';

/** Every time on screen is in the viewer's own zone and locale. */
export function formatDateTime(iso: string): string {
  return DateTime.fromISO(iso).toLocal().toLocaleString(DateTime.DATETIME_MED);
}

export function formatRelative(iso: string, nowMs: number = Date.now()): string {
  return DateTime.fromISO(iso).toRelative({ base: DateTime.fromMillis(nowMs) }) ?? formatDateTime(iso);
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
