import { expect } from 'chai';
import { catchUpDecision, missedFires } from '../../../domain/cron/missed-fires.ts';
import { jobScheduleSchema } from '../../../domain/cron/schedule.ts';

const hourly = jobScheduleSchema.parse({ kind: 'cron', expression: '0 * * * *', timezone: 'UTC' });
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('missedFires', () => {
  it('lists the fires after the last one and up to now, earliest first', () => {
    const missed = missedFires(hourly, new Date('2026-06-01T10:00:00Z'), new Date('2026-06-01T13:30:00Z'));
    expect(iso(missed)).to.deep.equal(['2026-06-01T11:00:00.000Z', '2026-06-01T12:00:00.000Z', '2026-06-01T13:00:00.000Z']);
  });

  it('counts a fire due exactly now, but not the one that already ran', () => {
    const missed = missedFires(hourly, new Date('2026-06-01T12:00:00Z'), new Date('2026-06-01T13:00:00Z'));
    expect(iso(missed)).to.deep.equal(['2026-06-01T13:00:00.000Z']);
  });

  it('is empty when nothing was due', () => {
    expect(missedFires(hourly, new Date('2026-06-01T12:00:00Z'), new Date('2026-06-01T12:59:59Z'))).to.deep.equal([]);
  });

  it('keeps only the most recent `limit` after a long outage', () => {
    const everyMinute = jobScheduleSchema.parse({ kind: 'cron', expression: '* * * * *', timezone: 'UTC' });
    const missed = missedFires(everyMinute, new Date('2026-01-01T00:00:00Z'), new Date('2026-06-01T12:00:00Z'), 3);
    expect(iso(missed)).to.deep.equal(['2026-06-01T11:58:00.000Z', '2026-06-01T11:59:00.000Z', '2026-06-01T12:00:00.000Z']);
  });

  it('a one-time job is missed when its instant passed since the last check', () => {
    const once = jobScheduleSchema.parse({ kind: 'once', at: '2026-06-01T12:00:00Z' });
    expect(iso(missedFires(once, new Date('2026-06-01T11:00:00Z'), new Date('2026-06-01T13:00:00Z')))).to.deep.equal(['2026-06-01T12:00:00.000Z']);
    expect(missedFires(once, new Date('2026-06-01T12:00:00Z'), new Date('2026-06-01T13:00:00Z'))).to.deep.equal([]);
    expect(missedFires(once, new Date('2026-06-01T11:00:00Z'), new Date('2026-06-01T11:30:00Z'))).to.deep.equal([]);
  });
});

describe('catchUpDecision', () => {
  const missed = [new Date('2026-06-01T11:00:00Z'), new Date('2026-06-01T12:00:00Z'), new Date('2026-06-01T13:00:00Z')];

  it('run_once runs the latest missed fire and skips the others', () => {
    expect(catchUpDecision('run_once', missed)).to.deep.equal({ runScheduledFor: missed[2], skipped: [missed[0], missed[1]] });
  });

  it('skip runs nothing and skips them all', () => {
    expect(catchUpDecision('skip', missed)).to.deep.equal({ runScheduledFor: null, skipped: missed });
  });

  it('has nothing to do when nothing was missed', () => {
    expect(catchUpDecision('run_once', [])).to.deep.equal({ runScheduledFor: null, skipped: [] });
  });
});
