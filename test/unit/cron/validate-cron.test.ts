import { expect } from 'chai';
import { validateCron } from '../../../domain/cron/validate-cron.ts';

describe('validateCron', () => {
  const now = new Date('2026-06-05T12:00:00Z'); // a Friday

  it('describes a valid expression and previews its next five runs in the job timezone', () => {
    expect(validateCron('0 9 * * 1-5', 'Europe/Berlin', now)).to.deep.equal({
      valid: true,
      description: 'At 09:00, Monday through Friday',
      nextRuns: ['2026-06-08T07:00:00.000Z', '2026-06-09T07:00:00.000Z', '2026-06-10T07:00:00.000Z', '2026-06-11T07:00:00.000Z', '2026-06-12T07:00:00.000Z'],
    });
  });

  it('says what is wrong with an invalid expression or timezone', () => {
    expect(validateCron('0 25 * * *', 'UTC', now)).to.deep.include({ valid: false });
    expect(validateCron('0 25 * * *', 'UTC', now)).to.have.property('error').that.matches(/25/);
    expect(validateCron('every day', 'UTC', now)).to.deep.equal({ valid: false, error: 'expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 2' });
    expect(validateCron('0 9 * * *', 'Moon/Base', now)).to.deep.equal({ valid: false, error: 'unknown timezone "Moon/Base"' });
  });
});
