/** How bookings and services read on screen: money, durations, and times with their zone named. */
import { DateTime } from 'luxon';
import type { Money } from '../../api/catalog';
import type { BookingState } from '../../api/bookings';
import { customerZone } from '../../composables/customerZone';

/** The viewer's IANA zone (their pick, else the browser's); every booking time is shown in it unless a page says otherwise. */
export function viewerZone(): string {
  return customerZone.value;
}

/** Integer minor units to the currency's own decimals (2 for EUR, 0 for JPY), in the viewer's locale. */
export function formatMoney(money: Money): string {
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amountMinor / 10 ** digits);
}

export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * "Tue, 24 Nov 2026, 10:00 – 11:00 CET": the span in `zone` (the viewer's by default), the end's
 * date repeated only when it falls on another day, and the zone named so nobody has to guess.
 */
export function formatSpan(startIso: string, endIso: string, zone = viewerZone()): string {
  const start = DateTime.fromISO(startIso, { zone });
  const end = DateTime.fromISO(endIso, { zone });
  const endText = end.hasSame(start, 'day')
    ? end.toLocaleString(DateTime.TIME_SIMPLE)
    : end.toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, year: undefined });
  return `${start.toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY)} – ${endText} ${start.offsetNameShort ?? zone}`;
}

export const STATE_LABELS: Record<BookingState, string> = {
  held: 'Held',
  requested: 'Requested',
  accepted: 'Accepted',
  in_progress: 'In progress',
  completed: 'Completed',
  declined: 'Declined',
  canceled: 'Canceled',
  expired: 'Expired',
};

/** "Tue, 8 Dec, 14:30 CET": one instant in `zone` (the viewer's by default), its zone named. */
export function formatMoment(iso: string, zone = viewerZone()): string {
  const at = DateTime.fromISO(iso, { zone });
  return `${at.toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' })} ${at.offsetNameShort ?? zone}`;
}
