import { expect } from 'chai';
import { describeCron } from '../../../domain/cron/describe-cron.ts';

describe('describeCron', () => {
  const cases: [string, string][] = [
    ['* * * * *', 'Every minute'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['*/7 * * * *', 'Every 7th minute'],
    ['5 * * * *', 'At minute 5 past every hour'],
    ['0 * * * *', 'Every hour'],
    ['0 */2 * * *', 'Every 2 hours'],
    ['15 */3 * * *', 'At minute 15 past every 3 hours'],
    ['1-5/2 * * * *', 'At minutes 1, 3 and 5 past every hour'],
    ['30 2 * * *', 'At 02:30 every day'],
    ['0 9 * * 1-5', 'At 09:00 on Monday through Friday'],
    ['0 9 * * MON-FRI', 'At 09:00 on Monday through Friday'],
    ['0 9,17 * * *', 'At 09:00 and 17:00 every day'],
    ['0 8 * * 1,3,5', 'At 08:00 on Monday, Wednesday and Friday'],
    ['0 8 * * 7', 'At 08:00 on Sunday'],
    ['0 9-17 * * 1-5', 'Every hour from 09:00 through 17:00 on Monday through Friday'],
    ['*/15 9-17 * * 1-5', 'Every 15 minutes from 09:00 through 17:45 on Monday through Friday'],
    ['0 0 1 * *', 'At 00:00 on day 1 of the month'],
    ['0 0 L * *', 'At 00:00 on the last day of the month'],
    ['0 18 * * 5L', 'At 18:00 on the last Friday of the month'],
    ['0 10 * * 1#2', 'At 10:00 on the second Monday of the month'],
    ['0 12 * JAN,JUL *', 'At 12:00 every day in January and July'],
    ['0 0 1 * 1', 'At 00:00 on day 1 of the month or on Monday'],
    ['*/10 * * * * *', 'Every 10 seconds'],
    ['30 0 9 * * *', 'At 09:00:30 every day'],
  ];
  for (const [expression, description] of cases) {
    it(`${expression} → ${description}`, () => expect(describeCron(expression)).to.equal(description));
  }

  it('falls back to naming the fields for shapes it has no sentence for', () => {
    expect(describeCron('0-30 9 * * *')).to.equal('At minute 0-30, hour 9');
  });
});
