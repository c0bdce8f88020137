import { expect } from 'chai';
import { nextRuns } from '../../../domain/cron/next-runs.ts';
import { jobScheduleSchema, type JobSchedule } from '../../../domain/cron/schedule.ts';

const cron = (expression: string, timezone: string): JobSchedule => jobScheduleSchema.parse({ kind: 'cron', expression, timezone });
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

/** Every fire in [from, to): the runs after one millisecond before `from`, up to `to`. */
function firesBetween(schedule: JobSchedule, from: string, to: string): Date[] {
  const runs = nextRuns(schedule, new Date(Date.parse(from) - 1), 200);
  return runs.filter((d) => d < new Date(to));
}

function expectStrictlyIncreasing(dates: Date[]): void {
  for (let i = 1; i < dates.length; i++) expect(dates[i].getTime(), dates[i].toISOString()).to.be.greaterThan(dates[i - 1].getTime());
}

describe('nextRuns', () => {
  it('reads the expression in the job timezone', () => {
    expect(iso(nextRuns(cron('0 9 * * 1-5', 'Europe/Berlin'), new Date('2026-06-05T12:00:00Z'), 2))).to.deep.equal([
      '2026-06-08T07:00:00.000Z', // Monday 09:00 CEST; the weekend is skipped
      '2026-06-09T07:00:00.000Z',
    ]);
    expect(iso(nextRuns(cron('0 9 * * *', 'UTC'), new Date('2026-06-05T12:00:00Z'), 1))).to.deep.equal(['2026-06-06T09:00:00.000Z']);
  });

  it('starts strictly after `after`', () => {
    expect(iso(nextRuns(cron('0 * * * *', 'UTC'), new Date('2026-06-05T12:00:00Z'), 1))).to.deep.equal(['2026-06-05T13:00:00.000Z']);
  });

  describe('a daily 02:30 job in Europe/Berlin', () => {
    it('runs once on the spring-forward day, at 03:30 CEST, since 02:30 does not exist', () => {
      expect(iso(nextRuns(cron('30 2 * * *', 'Europe/Berlin'), new Date('2026-03-28T12:00:00Z'), 3))).to.deep.equal([
        '2026-03-29T01:30:00.000Z', // 03:30 CEST
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
        '2026-03-31T00:30:00.000Z',
      ]);
    });

    it('runs once, not twice, on the fall-back day, at the first 02:30', () => {
      expect(iso(nextRuns(cron('30 2 * * *', 'Europe/Berlin'), new Date('2026-10-24T12:00:00Z'), 3))).to.deep.equal([
        '2026-10-25T00:30:00.000Z', // 02:30 CEST; the repeated 02:30 CET (01:30Z) is not a second run
        '2026-10-26T01:30:00.000Z',
        '2026-10-27T01:30:00.000Z',
      ]);
    });

    it('gives one run, not two, when a shifted 02:30 meets a 03:30 in the same expression', () => {
      const runs = nextRuns(cron('30 2,3 * * *', 'Europe/Berlin'), new Date('2026-03-28T12:00:00Z'), 3);
      expect(iso(runs)).to.deep.equal(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-30T01:30:00.000Z']);
    });
  });

  describe('*/15 counts real quarter hours of the local day', () => {
    const cases = [
      { zone: 'Europe/Berlin', name: 'an ordinary day', from: '2026-06-09T22:00:00Z', to: '2026-06-10T22:00:00Z', fires: 96 },
      { zone: 'Europe/Berlin', name: 'spring forward (23 h)', from: '2026-03-28T23:00:00Z', to: '2026-03-29T22:00:00Z', fires: 92 },
      { zone: 'Europe/Berlin', name: 'fall back (25 h)', from: '2026-10-24T22:00:00Z', to: '2026-10-25T23:00:00Z', fires: 100 },
      { zone: 'America/New_York', name: 'an ordinary day', from: '2026-06-10T04:00:00Z', to: '2026-06-11T04:00:00Z', fires: 96 },
      { zone: 'America/New_York', name: 'spring forward (23 h)', from: '2026-03-08T05:00:00Z', to: '2026-03-09T04:00:00Z', fires: 92 },
      { zone: 'America/New_York', name: 'fall back (25 h)', from: '2026-11-01T04:00:00Z', to: '2026-11-02T05:00:00Z', fires: 100 },
    ];
    for (const c of cases) {
      it(`${c.zone}, ${c.name}: ${c.fires} unique, increasing fires`, () => {
        const fires = firesBetween(cron('*/15 * * * *', c.zone), c.from, c.to);
        expect(fires).to.have.length(c.fires);
        expect(new Set(fires.map((d) => d.getTime())).size).to.equal(c.fires);
        expectStrictlyIncreasing(fires);
        expect(fires[0].toISOString()).to.equal(new Date(c.from).toISOString()); // local midnight is a fire
      });
    }
  });

  it('runs an hourly job in both real 01:00s of a fall-back night, 25 times that day', () => {
    const fires = firesBetween(cron('0 * * * *', 'America/New_York'), '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z');
    expect(fires).to.have.length(25);
    expect(iso(fires).slice(1, 4)).to.deep.equal(['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z']);
  });

  describe('one-time jobs', () => {
    const once = jobScheduleSchema.parse({ kind: 'once', at: '2026-07-01T10:00:00+02:00' });
    it('run once at their instant', () => {
      expect(iso(nextRuns(once, new Date('2026-06-01T00:00:00Z'), 5))).to.deep.equal(['2026-07-01T08:00:00.000Z']);
    });
    it('have nothing left to run once the instant has passed', () => {
      expect(nextRuns(once, new Date('2026-07-01T08:00:00Z'), 5)).to.deep.equal([]);
    });
  });
});
