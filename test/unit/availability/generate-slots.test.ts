import { expect } from 'chai';
import { DateTime } from 'luxon';
import { generateSlots, type GenerateSlotsInput, type Slot } from '../../../domain/availability/generate-slots.ts';
import { serviceTimingSchema, type WeeklyTemplate } from '../../../domain/availability/schemas.ts';

const NINE_TO_FIVE: WeeklyTemplate = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
);

/** A provider with hour-long appointments every day 09:00–17:00 and nothing booked; `now` long before. */
function input(overrides: Partial<GenerateSlotsInput> & { from: Date; to: Date }): GenerateSlotsInput {
  return {
    template: NINE_TO_FIVE,
    overrides: [],
    blocks: [],
    externalBlocks: [],
    holds: [],
    bookings: [],
    service: serviceTimingSchema.parse({ durationMinutes: 60, maximumDaysAhead: 365 }),
    providerTimezone: 'Europe/Berlin',
    now: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** The provider's local date [date 00:00, next day 00:00) as real instants. */
function localDate(date: string, zone: string): { from: Date; to: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

function localLabels(slots: Slot[], zone: string): string[] {
  return slots.map((s) => DateTime.fromISO(s.start, { zone }).toFormat('HH:mm') + '–' + DateTime.fromISO(s.end, { zone }).toFormat('HH:mm'));
}

const HOURS_9_TO_17 = ['09:00–10:00', '10:00–11:00', '11:00–12:00', '12:00–13:00', '13:00–14:00', '14:00–15:00', '15:00–16:00', '16:00–17:00'];

describe('generateSlots', () => {
  describe('a 09:00–17:00 template stays 09:00–17:00 local across DST changes', () => {
    const cases = [
      { zone: 'Europe/Berlin', before: '2026-03-28', change: '2026-03-29', after: '2026-03-30', firstUtc: ['08:00', '07:00', '07:00'] },
      { zone: 'Europe/Berlin', before: '2026-10-24', change: '2026-10-25', after: '2026-10-26', firstUtc: ['07:00', '08:00', '08:00'] },
      { zone: 'America/New_York', before: '2026-03-07', change: '2026-03-08', after: '2026-03-09', firstUtc: ['14:00', '13:00', '13:00'] },
      { zone: 'America/New_York', before: '2026-10-31', change: '2026-11-01', after: '2026-11-02', firstUtc: ['13:00', '14:00', '14:00'] },
    ];
    for (const c of cases) {
      it(`${c.zone} around ${c.change}`, () => {
        [c.before, c.change, c.after].forEach((date, i) => {
          const slots = generateSlots(input({ providerTimezone: c.zone, ...localDate(date, c.zone) }));
          expect(localLabels(slots, c.zone), date).to.deep.equal(HOURS_9_TO_17);
          expect(slots[0].start, date).to.equal(`${date}T${c.firstUtc[i]}:00.000Z`);
          expect(slots.every((s) => s.state === 'open')).to.equal(true);
        });
      });
    }
  });

  it('skips a start that falls in the spring-forward gap (Berlin 2026-03-29, 02:00 does not exist)', () => {
    const slots = generateSlots(input({ template: { sunday: [{ start: '01:00', end: '05:00' }] }, ...localDate('2026-03-29', 'Europe/Berlin') }));
    expect(localLabels(slots, 'Europe/Berlin')).to.deep.equal(['01:00–03:00', '03:00–04:00', '04:00–05:00']);
    // The first slot is still one real hour long: 01:00 CET to 03:00 CEST.
    expect(slots.map((s) => s.start)).to.deep.equal(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
  });

  it('skips the gap in New York too (2026-03-08, 02:30 does not exist)', () => {
    const service = serviceTimingSchema.parse({ durationMinutes: 30, maximumDaysAhead: 365 });
    const slots = generateSlots(input({ service, providerTimezone: 'America/New_York', template: { sunday: [{ start: '01:00', end: '04:00' }] }, ...localDate('2026-03-08', 'America/New_York') }));
    const starts = slots.map((s) => DateTime.fromISO(s.start, { zone: 'America/New_York' }).toFormat('HH:mm'));
    expect(starts).to.deep.equal(['01:00', '01:30', '03:00', '03:30']);
  });

  it('offers both real 02:00s when the interval spans the whole repeated hour (Berlin 2026-10-25)', () => {
    const slots = generateSlots(input({ template: { sunday: [{ start: '00:00', end: '04:00' }] }, ...localDate('2026-10-25', 'Europe/Berlin') }));
    expect(slots.map((s) => s.start)).to.deep.equal([
      '2026-10-24T22:00:00.000Z', // 00:00 CEST
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET, the clocks went back
      '2026-10-25T02:00:00.000Z', // 03:00 CET
    ]);
  });

  it('offers a repeated time once when the second occurrence would not fit (01:00 New York, 2026-11-01)', () => {
    const service = serviceTimingSchema.parse({ durationMinutes: 90, maximumDaysAhead: 365 });
    const slots = generateSlots(input({ service, providerTimezone: 'America/New_York', template: { sunday: [{ start: '00:00', end: '02:00' }] }, ...localDate('2026-11-01', 'America/New_York') }));
    // 00:00–01:30 EDT, then 01:30 EDT to 02:00 EST (90 real minutes); a 01:30 EST start would
    // end at 03:00 EST, after the interval.
    expect(slots.map((s) => s.start)).to.deep.equal(['2026-11-01T04:00:00.000Z', '2026-11-01T05:30:00.000Z']);
  });

  it('never returns overlapping or duplicate slots on a fall-back day, even with 90-minute appointments', () => {
    const service = serviceTimingSchema.parse({ durationMinutes: 90, maximumDaysAhead: 365 });
    const slots = generateSlots(input({ service, template: { sunday: [{ start: '00:45', end: '06:00' }] }, ...localDate('2026-10-25', 'Europe/Berlin') }));
    expect(slots.length).to.be.greaterThan(2);
    for (let i = 1; i < slots.length; i++) expect(Date.parse(slots[i].start)).to.be.at.least(Date.parse(slots[i - 1].end));
    expect(slots.map((s) => s.start)).to.deep.equal(['2026-10-24T22:45:00.000Z', '2026-10-25T00:15:00.000Z', '2026-10-25T02:45:00.000Z']);
  });

  it('uses the slot step for starts and the duration for ends', () => {
    const service = serviceTimingSchema.parse({ durationMinutes: 45, slotStepMinutes: 30, maximumDaysAhead: 365 });
    const slots = generateSlots(input({ service, template: { monday: [{ start: '09:00', end: '11:00' }] }, ...localDate('2026-06-01', 'Europe/Berlin') }));
    expect(localLabels(slots, 'Europe/Berlin')).to.deep.equal(['09:00–09:45', '09:30–10:15', '10:00–10:45']);
  });

  describe('state precedence booked > held > blocked > open', () => {
    const day = localDate('2026-06-01', 'Europe/Berlin'); // a Monday; 10:00 local is 08:00Z
    const tenToEleven = { start: '2026-06-01T08:00:00Z', end: '2026-06-01T09:00:00Z' };
    const stateAt10 = (overrides: Partial<GenerateSlotsInput>) =>
      generateSlots(input({ ...day, ...overrides })).find((s) => s.start === '2026-06-01T08:00:00.000Z')?.state;

    it('booked beats held and blocked', () => {
      expect(stateAt10({ bookings: [{ ...tenToEleven, state: 'accepted' }], holds: [{ ...tenToEleven, expiresAt: '2026-06-02T00:00:00Z' }], blocks: [tenToEleven] })).to.equal('booked');
    });
    it('held beats blocked', () => {
      expect(stateAt10({ holds: [{ ...tenToEleven, expiresAt: '2026-06-02T00:00:00Z' }], externalBlocks: [tenToEleven] })).to.equal('held');
    });
    it('a provider block or an external calendar block makes it blocked', () => {
      expect(stateAt10({ blocks: [{ start: '2026-06-01T08:30:00Z', end: '2026-06-01T08:45:00Z' }] })).to.equal('blocked');
      expect(stateAt10({ externalBlocks: [tenToEleven] })).to.equal('blocked');
    });
    it('a booking in state held counts as held, requested as booked', () => {
      expect(stateAt10({ bookings: [{ ...tenToEleven, state: 'held' }] })).to.equal('held');
      expect(stateAt10({ bookings: [{ ...tenToEleven, state: 'requested' }] })).to.equal('booked');
    });
    it('canceled, declined and expired bookings and expired holds free the slot', () => {
      const now = new Date('2026-05-01T00:00:00Z');
      expect(stateAt10({ now, bookings: (['canceled', 'declined', 'expired'] as const).map((state) => ({ ...tenToEleven, state })) })).to.equal('open');
      expect(stateAt10({ now, holds: [{ ...tenToEleven, expiresAt: '2026-04-30T23:59:00Z' }] })).to.equal('open');
    });
  });

  describe('buffers', () => {
    const day = localDate('2026-06-01', 'Europe/Berlin');
    const booking = { start: '2026-06-01T08:00:00Z', end: '2026-06-01T09:00:00Z', state: 'accepted' as const }; // 10:00–11:00 local

    function states(buffers: { bufferBeforeMinutes?: number; bufferAfterMinutes?: number }, extra: Partial<GenerateSlotsInput>) {
      const service = serviceTimingSchema.parse({ durationMinutes: 60, maximumDaysAhead: 365, ...buffers });
      const slots = generateSlots(input({ ...day, service, ...extra }));
      return Object.fromEntries(slots.map((s) => [DateTime.fromISO(s.start, { zone: 'Europe/Berlin' }).toFormat('HH:mm'), s.state]));
    }

    it('without buffers, the hours next to a booking stay open', () => {
      expect(states({}, { bookings: [booking] })).to.include({ '09:00': 'open', '10:00': 'booked', '11:00': 'open' });
    });
    it("a booking's buffers make the adjacent slots blocked, not booked", () => {
      expect(states({ bufferAfterMinutes: 15 }, { bookings: [booking] })).to.include({ '09:00': 'blocked', '10:00': 'booked', '11:00': 'blocked', '12:00': 'open' });
    });
    it("the slot's buffers reach into a block next to it", () => {
      const block = { start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z' }; // 11:00–12:00 local
      expect(states({}, { blocks: [block] })).to.include({ '10:00': 'open', '11:00': 'blocked', '12:00': 'open' });
      expect(states({ bufferBeforeMinutes: 10 }, { blocks: [block] })).to.include({ '10:00': 'open', '11:00': 'blocked', '12:00': 'blocked' });
    });
  });

  describe('booking window', () => {
    it('leaves out slots inside the minimum notice', () => {
      const service = serviceTimingSchema.parse({ durationMinutes: 60, minimumNoticeMinutes: 120, maximumDaysAhead: 365 });
      const now = new Date('2026-06-01T06:30:00Z'); // 08:30 in Berlin
      const slots = generateSlots(input({ service, now, ...localDate('2026-06-01', 'Europe/Berlin') }));
      expect(localLabels(slots, 'Europe/Berlin')[0]).to.equal('11:00–12:00'); // 10:30 is the earliest start
      expect(slots).to.have.length(6);
    });
    it('offers nothing that has already started, even without notice', () => {
      const now = new Date('2026-06-01T08:15:00Z'); // 10:15 in Berlin
      const slots = generateSlots(input({ now, ...localDate('2026-06-01', 'Europe/Berlin') }));
      expect(localLabels(slots, 'Europe/Berlin')[0]).to.equal('11:00–12:00');
    });
    it('offers whole local days up to maximumDaysAhead after today', () => {
      const service = serviceTimingSchema.parse({ durationMinutes: 60, maximumDaysAhead: 2 });
      const now = new Date('2026-05-31T22:30:00Z'); // already 2026-06-01 00:30 in Berlin
      const slots = generateSlots(input({ service, now, from: now, to: new Date('2026-06-10T00:00:00Z') }));
      const dates = new Set(slots.map((s) => DateTime.fromISO(s.start, { zone: 'Europe/Berlin' }).toISODate()));
      expect([...dates]).to.deep.equal(['2026-06-01', '2026-06-02', '2026-06-03']);
      expect(slots).to.have.length(24);
    });
  });

  describe('date overrides', () => {
    it('a closed date has no slots; a date with its own intervals uses them instead of the template', () => {
      const range = { from: new Date('2026-05-31T22:00:00Z'), to: new Date('2026-06-02T22:00:00Z') }; // Mon and Tue in Berlin
      const slots = generateSlots(input({ ...range, overrides: [{ date: '2026-06-01', closed: true }, { date: '2026-06-02', intervals: [{ start: '13:00', end: '15:00' }] }] }));
      expect(localLabels(slots, 'Europe/Berlin')).to.deep.equal(['13:00–14:00', '14:00–15:00']);
    });
  });

  it('returns slots in start order across days, only those starting in [from, to)', () => {
    const slots = generateSlots(input({ from: new Date('2026-06-01T12:00:00Z'), to: new Date('2026-06-02T09:00:00Z') }));
    // Berlin is UTC+2: 14:00..16:00 on Monday, 09:00 and 10:00 on Tuesday.
    expect(slots.map((s) => s.start)).to.deep.equal([
      '2026-06-01T12:00:00.000Z',
      '2026-06-01T13:00:00.000Z',
      '2026-06-01T14:00:00.000Z',
      '2026-06-02T07:00:00.000Z',
      '2026-06-02T08:00:00.000Z',
    ]);
  });
});
