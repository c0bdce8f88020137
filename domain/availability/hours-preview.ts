import { DateTime } from 'luxon';
import type { PresentedSlot } from './present-slot.ts';

export interface PreviewDay {
  /** The provider's local date, `yyyy-MM-dd`. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** The zone's short name at noon that day ("CET", "GMT+9"): where it changes, DST did. */
  zoneLabel: string;
  open: Pick<PresentedSlot, 'start' | 'startLabel' | 'endLabel'>[];
  /** Slots the hours offer but a booking, hold or block takes. */
  taken: number;
}

/**
 * The provider's next days as their hours editor previews them: every local date from
 * `firstDate` for `days` days, empty ones included (a day off shows as a day with nothing open),
 * with the open slots' wall-clock labels in the provider's zone.
 */
export function previewDays(slots: readonly PresentedSlot[], firstDate: string, days: number, zone: string): PreviewDay[] {
  const byDate = new Map<string, PresentedSlot[]>();
  for (const slot of slots) byDate.set(slot.localDate, [...(byDate.get(slot.localDate) ?? []), slot]);
  const first = DateTime.fromISO(firstDate, { zone });
  return Array.from({ length: days }, (_, i) => {
    const day = first.plus({ days: i });
    const date = day.toFormat('yyyy-MM-dd');
    const onDay = byDate.get(date) ?? [];
    const noon = day.set({ hour: 12 });
    return {
      date,
      weekday: day.weekday,
      zoneLabel: noon.offsetNameShort ?? noon.toFormat('ZZ'),
      open: onDay.filter((s) => s.state === 'open').map(({ start, startLabel, endLabel }) => ({ start, startLabel, endLabel })),
      taken: onDay.filter((s) => s.state !== 'open').length,
    };
  });
}
