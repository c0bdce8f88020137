import { expect } from 'chai';
import { presentSlot } from '../../../domain/availability/present-slot.ts';

describe('presentSlot', () => {
  const slot = { start: '2026-03-29T07:00:00.000Z', end: '2026-03-29T08:00:00.000Z', state: 'open' as const }; // 09:00 in Berlin

  it("shows a provider's slot in the viewer's timezone, keeping the slot itself", () => {
    expect(presentSlot(slot, 'America/New_York', 'en-US')).to.deep.include({
      ...slot,
      localDate: '2026-03-29',
      weekday: 7,
      startLabel: '3:00 AM',
      endLabel: '4:00 AM',
      endsNextDay: false,
      zoneLabel: 'EDT',
    });
  });

  it('puts the slot on the local date of the viewer and uses a 24-hour clock for en-GB', () => {
    const late = { start: '2026-03-29T14:30:00.000Z', end: '2026-03-29T15:30:00.000Z', state: 'booked' as const };
    const tokyo = presentSlot(late, 'Asia/Tokyo', 'en-GB');
    expect(tokyo).to.deep.include({ localDate: '2026-03-29', weekday: 7, startLabel: '23:30', endLabel: '00:30', endsNextDay: true });
  });
});
