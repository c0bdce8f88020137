import { expect } from 'chai';
import { DateTime } from 'luxon';
import { generateSlots } from '../../../domain/availability/generate-slots.ts';
import { previewDays } from '../../../domain/availability/hours-preview.ts';
import { presentSlot } from '../../../domain/availability/present-slot.ts';
import type { WeeklyTemplate } from '../../../domain/availability/schemas.ts';

const EVERY_DAY_9_TO_11: WeeklyTemplate = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, [{ start: '09:00', end: '11:00' }]]));

/** The editor's preview over `days` local days from `firstDate`, as the route builds it. */
function preview(zone: string, firstDate: string, days: number, template = EVERY_DAY_9_TO_11) {
  const from = DateTime.fromISO(firstDate, { zone }).startOf('day');
  const slots = generateSlots({
    template,
    overrides: [],
    blocks: [],
    externalBlocks: [],
    holds: [],
    bookings: [],
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, maximumDaysAhead: 365 },
    providerTimezone: zone,
    from: from.toJSDate(),
    to: from.plus({ days }).toJSDate(),
    now: from.toJSDate(),
  });
  return previewDays(slots.map((s) => presentSlot(s, zone)), firstDate, days, zone);
}

describe('hours preview across DST', () => {
  for (const { zone, firstDate, before, after } of [
    // Spring forward on Sunday 29 March 2026: CET (UTC+1) to CEST (UTC+2).
    { zone: 'Europe/Berlin', firstDate: '2026-03-28', before: { label: 'GMT+1', utc: '08:00' }, after: { label: 'GMT+2', utc: '07:00' } },
    // Fall back on Sunday 1 November 2026: EDT (UTC-4) to EST (UTC-5).
    { zone: 'America/New_York', firstDate: '2026-10-31', before: { label: 'EDT', utc: '13:00' }, after: { label: 'EST', utc: '14:00' } },
    // The south: Sydney's clocks go forward on Sunday 4 October 2026, AEST (UTC+10) to AEDT (UTC+11).
    { zone: 'Australia/Sydney', firstDate: '2026-10-03', before: { label: 'GMT+10', utc: '23:00' }, after: { label: 'GMT+11', utc: '22:00' } },
  ]) {
    it(`keeps 09:00 and 10:00 on the wall clock in ${zone} while the UTC instants shift`, () => {
      const [day1, day2, day3] = preview(zone, firstDate, 3);
      for (const day of [day1, day2, day3]) expect(day.open.map((s) => s.startLabel), day.date).to.deep.equal(['09:00', '10:00']);
      expect(day1.zoneLabel).to.equal(before.label);
      expect(day3.zoneLabel).to.equal(after.label);
      const utcOf = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).toFormat('HH:mm');
      expect(utcOf(day1.open[0].start)).to.equal(before.utc);
      expect(utcOf(day3.open[0].start)).to.equal(after.utc);
    });
  }

  it('lists every day, days off empty, in the provider’s order of dates', () => {
    const days = preview('Europe/Berlin', '2026-12-07', 7, { monday: [{ start: '09:00', end: '10:00' }] });
    expect(days.map((d) => d.date)).to.deep.equal(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
    expect(days.map((d) => d.open.length)).to.deep.equal([1, 0, 0, 0, 0, 0, 0]);
  });
});
