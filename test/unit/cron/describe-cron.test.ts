import { expect } from 'chai';
import { describeCron, describeSchedule } from '../../../domain/cron/describe-cron.ts';

describe('describeCron and describeSchedule (plain English, by cronstrue)', () => {
  const cases: [string, string][] = [
    ['* * * * *', 'Every minute'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['0 9 * * 1-5', 'At 09:00, Monday through Friday'],
    ['0 9 * * MON-FRI', 'At 09:00, Monday through Friday'],
    ['0 9-17 * * 1-5', 'Every hour, between 09:00 and 17:00, Monday through Friday'],
    ['0 0 L * *', 'At 00:00, on the last day of the month'],
    ['0 18 * * 5L', 'At 18:00, on the last Friday of the month'],
    ['0 10 * * 1#2', 'At 10:00, on the second Monday of the month'],
    ['0 12 * JAN,JUL *', 'At 12:00, only in January and July'],
    ['*/10 * * * * *', 'Every 10 seconds'],
    ['30 0 9 * * *', 'At 09:00:30'],
  ];
  for (const [expression, description] of cases) {
    it(`${expression} → ${description}`, () => expect(describeCron(expression)).to.equal(description));
  }

  it('names the job’s zone, and gives a one-time job’s time in it', () => {
    expect(describeSchedule({ kind: 'cron', expression: '0 9 * * 1-5' }, 'Europe/Berlin')).to.equal('At 09:00, Monday through Friday, Europe/Berlin');
    expect(describeSchedule({ kind: 'once', at: '2026-12-24T17:00:00.000Z' }, 'Europe/Berlin')).to.equal('Once, on 2026-12-24 at 18:00, Europe/Berlin');
  });
});
