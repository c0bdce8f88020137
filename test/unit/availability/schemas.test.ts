import { expect } from 'chai';
import { dateOverrideSchema, serviceTimingSchema, weeklyTemplateSchema } from '../../../domain/availability/schemas.ts';
import { timezoneSchema } from '../../../domain/availability/timezone.ts';

describe('availability input schemas', () => {
  it('accepts a template with several intervals a day and 24:00 as an end', () => {
    const parsed = weeklyTemplateSchema.parse({ monday: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '24:00' }] });
    expect(parsed.monday).to.have.length(2);
  });

  it('rejects bad times, empty or reversed intervals and overlapping intervals', () => {
    expect(weeklyTemplateSchema.safeParse({ monday: [{ start: '9:00', end: '12:00' }] }).success).to.equal(false);
    expect(weeklyTemplateSchema.safeParse({ monday: [{ start: '24:00', end: '24:00' }] }).success).to.equal(false);
    expect(weeklyTemplateSchema.safeParse({ monday: [{ start: '12:00', end: '09:00' }] }).success).to.equal(false);
    expect(weeklyTemplateSchema.safeParse({ monday: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '14:00' }] }).success).to.equal(false);
    expect(weeklyTemplateSchema.safeParse({ funday: [{ start: '09:00', end: '12:00' }] }).success).to.equal(false);
  });

  it('takes an override as closed or as intervals, on a real date', () => {
    expect(dateOverrideSchema.safeParse({ date: '2026-12-24', closed: true }).success).to.equal(true);
    expect(dateOverrideSchema.safeParse({ date: '2026-12-31', intervals: [{ start: '09:00', end: '12:00' }] }).success).to.equal(true);
    expect(dateOverrideSchema.safeParse({ date: '2026-02-30', closed: true }).success).to.equal(false);
  });

  it('fills service defaults and rejects a zero duration', () => {
    expect(serviceTimingSchema.parse({ durationMinutes: 30 })).to.deep.equal({
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maximumDaysAhead: 60,
    });
    expect(serviceTimingSchema.safeParse({ durationMinutes: 0 }).success).to.equal(false);
  });

  it('knows IANA zones', () => {
    expect(timezoneSchema.safeParse('Europe/Berlin').success).to.equal(true);
    expect(timezoneSchema.safeParse('Mars/Olympus').success).to.equal(false);
  });
});
