import { expect } from 'chai';
import { jobScheduleSchema } from '../../../domain/cron/schedule.ts';

const errorOf = (input: unknown) => {
  const result = jobScheduleSchema.safeParse(input);
  return result.success ? null : result.error.issues.map((i) => i.message).join('; ');
};

describe('jobScheduleSchema', () => {
  it('accepts 5-field and 6-field (seconds first) expressions, defaulting the timezone to UTC', () => {
    expect(jobScheduleSchema.parse({ kind: 'cron', expression: '*/15 * * * *' })).to.deep.equal({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' });
    expect(errorOf({ kind: 'cron', expression: '30 */15 * * * *', timezone: 'America/New_York' })).to.equal(null);
    expect(errorOf({ kind: 'cron', expression: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' })).to.equal(null);
  });

  it('refuses other field counts, aliases, hashed values and out-of-range values, saying why', () => {
    expect(errorOf({ kind: 'cron', expression: '* * *' })).to.match(/expected 5 fields .* got 3/);
    expect(errorOf({ kind: 'cron', expression: '* * * * * * *' })).to.match(/got 7/);
    expect(errorOf({ kind: 'cron', expression: '' })).to.match(/got 0/);
    expect(errorOf({ kind: 'cron', expression: '@daily' })).to.match(/got 1/);
    expect(errorOf({ kind: 'cron', expression: 'H * * * *' })).to.match(/H .* not supported/);
    expect(errorOf({ kind: 'cron', expression: '61 * * * *' })).to.match(/61/);
    expect(errorOf({ kind: 'cron', expression: '0 0 30 2 *' })).to.match(/day of month/);
  });

  it('refuses an unknown timezone', () => {
    expect(errorOf({ kind: 'cron', expression: '0 9 * * *', timezone: 'Europe/Atlantis' })).to.match(/IANA timezone/);
    expect(errorOf({ kind: 'cron', expression: '0 9 * * *', timezone: '+02:00' })).to.match(/IANA timezone/);
  });

  it('takes a one-time schedule as an ISO instant with an offset', () => {
    expect(errorOf({ kind: 'once', at: '2026-07-01T10:00:00Z' })).to.equal(null);
    expect(errorOf({ kind: 'once', at: '2026-07-01 10:00' })).to.not.equal(null);
    expect(errorOf({ kind: 'weekly', at: '2026-07-01T10:00:00Z' })).to.not.equal(null);
  });
});
