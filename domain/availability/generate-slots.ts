import { DateTime } from 'luxon';
import { bookingWindow } from './booking-window.ts';
import { candidateSlots } from './candidate-slots.ts';
import { intervalsForDate } from './day-intervals.ts';
import { localDay } from './local-day.ts';
import { occupancyOf, slotState, type SlotState } from './slot-state.ts';
import type { Block, BookingInterval, DateOverride, Hold, ServiceTiming, WeeklyTemplate } from './schemas.ts';

export interface Slot {
  /** ISO 8601 UTC. */
  start: string;
  end: string;
  state: SlotState;
}

export interface GenerateSlotsInput {
  template: WeeklyTemplate;
  overrides: readonly DateOverride[];
  blocks: readonly Block[];
  externalBlocks: readonly Block[];
  holds: readonly Hold[];
  bookings: readonly BookingInterval[];
  service: ServiceTiming;
  providerTimezone: string;
  /** Slots starting in [from, to) are returned. */
  from: Date;
  to: Date;
  now: Date;
}

/**
 * A provider's slots for a service over a range, in start order, each with its state. Slots
 * outside the booking window (minimum notice, maximum days ahead) are left out rather than shown
 * as unavailable: nobody can ever book them from here.
 */
export function generateSlots(input: GenerateSlotsInput): Slot[] {
  const { service, providerTimezone: zone } = input;
  const shape = { durationMinutes: service.durationMinutes, stepMinutes: service.slotStepMinutes ?? service.durationMinutes };
  const buffers = { beforeMinutes: service.bufferBeforeMinutes, afterMinutes: service.bufferAfterMinutes };
  const window = bookingWindow({ now: input.now, minimumNoticeMinutes: service.minimumNoticeMinutes, maximumDaysAhead: service.maximumDaysAhead, providerTimezone: zone });
  const earliest = Math.max(input.from.getTime(), window.startMs);
  const latest = Math.min(input.to.getTime(), window.endMs);
  const occupancy = occupancyOf({ bookings: input.bookings, holds: input.holds, blocks: [...input.blocks, ...input.externalBlocks], now: input.now });

  const slots: Slot[] = [];
  for (const date of localDatesBetween(input.from, input.to, zone)) {
    const day = localDay(date, zone);
    for (const interval of intervalsForDate(date, input.template, input.overrides)) {
      for (const slot of candidateSlots(day, interval, shape)) {
        if (slot.startMs < earliest || slot.startMs >= latest) continue;
        slots.push({ start: new Date(slot.startMs).toISOString(), end: new Date(slot.endMs).toISOString(), state: slotState(slot, occupancy, buffers) });
      }
    }
  }
  return slots.sort((a, b) => a.start.localeCompare(b.start));
}

/** Every provider-local date that [from, to) touches. */
function localDatesBetween(from: Date, to: Date, zone: string): string[] {
  const dates: string[] = [];
  const lastDay = DateTime.fromJSDate(to, { zone }).startOf('day');
  for (let day = DateTime.fromJSDate(from, { zone }).startOf('day'); day <= lastDay; day = day.plus({ days: 1 })) {
    dates.push(day.toFormat('yyyy-MM-dd'));
  }
  return dates;
}

/** Whether an open slot starts exactly at `startsAt`: the same generation, over a range one millisecond wide. */
export function isOpenSlotStart(input: Omit<GenerateSlotsInput, 'from' | 'to'>, startsAt: Date): boolean {
  const slots = generateSlots({ ...input, from: startsAt, to: new Date(startsAt.getTime() + 1) });
  return slots.some((slot) => Date.parse(slot.start) === startsAt.getTime() && slot.state === 'open');
}
