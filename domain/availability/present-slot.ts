import { DateTime } from 'luxon';
import type { Slot } from './generate-slots.ts';

export interface PresentedSlot extends Slot {
  /** The viewer's local date of the start, `yyyy-MM-dd`: the week calendar's column. */
  localDate: string;
  /** ISO weekday of `localDate`, 1 = Monday. */
  weekday: number;
  startLabel: string;
  endLabel: string;
  /** The slot ends on a later local date than it starts (the label alone would not say so). */
  endsNextDay: boolean;
  /** Short zone name at the start, e.g. "CET" or "GMT+2", to show beside the times. */
  zoneLabel: string;
}

/** A slot as a viewer in `viewerTimezone` sees it; labels follow `locale` (12- or 24-hour clock). */
export function presentSlot(slot: Slot, viewerTimezone: string, locale = 'en-GB'): PresentedSlot {
  const start = DateTime.fromISO(slot.start, { zone: viewerTimezone, locale });
  const end = DateTime.fromISO(slot.end, { zone: viewerTimezone, locale });
  return {
    ...slot,
    localDate: start.toFormat('yyyy-MM-dd'),
    weekday: start.weekday,
    startLabel: start.toLocaleString(DateTime.TIME_SIMPLE),
    endLabel: end.toLocaleString(DateTime.TIME_SIMPLE),
    endsNextDay: end.startOf('day') > start.startOf('day'),
    zoneLabel: start.offsetNameShort ?? start.toFormat('ZZ'),
  };
}
