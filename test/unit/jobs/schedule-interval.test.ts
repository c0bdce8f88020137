import { expect } from 'chai';
import { checkScheduleInterval, shortestIntervalSeconds } from '../../../domain/jobs/schedule-interval.ts';
import { PLAN_LIMITS } from '../../../domain/jobs/plan-limits.ts';

const from = new Date('2026-03-28T23:59:30Z');
const cron = (expression: string, timezone = 'UTC') => ({ kind: 'cron' as const, expression, timezone });

describe('shortest interval of a schedule', () => {
  it('finds the closest two fires', () => {
    expect(shortestIntervalSeconds(cron('* * * * * *'), from)).to.equal(1);
    expect(shortestIntervalSeconds(cron('*/30 * * * * *'), from)).to.equal(30);
    expect(shortestIntervalSeconds(cron('0,59 * * * * *'), from)).to.equal(1);
    expect(shortestIntervalSeconds(cron('15 * * * * *'), from)).to.equal(60);
    expect(shortestIntervalSeconds(cron('* * * * *'), from)).to.equal(60);
    expect(shortestIntervalSeconds(cron('0 9,10 * * 1-5', 'Europe/Berlin'), from)).to.equal(3600);
  });

  it('has none for a one-time job', () => {
    expect(shortestIntervalSeconds({ kind: 'once', at: '2026-12-24T18:00:00Z' }, from)).to.equal(null);
  });
});

describe('the plan’s minimum interval', () => {
  it('is a minute on free and a second on pro', () => {
    expect(PLAN_LIMITS.free.minIntervalSeconds).to.equal(60);
    expect(PLAN_LIMITS.pro.minIntervalSeconds).to.equal(1);
  });

  it('refuses sub-minute schedules on free, with what they fire at', () => {
    expect(checkScheduleInterval('free', cron('* * * * * *'), from)).to.deep.equal({ ok: false, minIntervalSeconds: 60, shortestSeconds: 1 });
    expect(checkScheduleInterval('free', cron('*/20 * * * * *'), from)).to.deep.equal({ ok: false, minIntervalSeconds: 60, shortestSeconds: 20 });
    expect(checkScheduleInterval('free', cron('0 * * * * *'), from)).to.deep.equal({ ok: true });
    expect(checkScheduleInterval('free', cron('*/5 * * * *'), from)).to.deep.equal({ ok: true });
    expect(checkScheduleInterval('free', { kind: 'once', at: '2026-12-24T18:00:00Z' }, from)).to.deep.equal({ ok: true });
  });

  it('allows every second on pro, and treats an unknown plan as free', () => {
    expect(checkScheduleInterval('pro', cron('* * * * * *'), from)).to.deep.equal({ ok: true });
    expect(checkScheduleInterval('retired-plan', cron('* * * * * *'), from)).to.deep.include({ ok: false, minIntervalSeconds: 60 });
  });
});
