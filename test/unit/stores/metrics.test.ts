import { expect } from 'chai';
import { averageOrderValue, localDays, localHourOf, sameHourLastWeek } from '../../../domain/stores/metric-buckets.ts';
import { decimalToMinor } from '../../../domain/stores/decimal-money.ts';
import { waitForCostMs } from '../../../domain/stores/shopify-throttle.ts';
import { isRevenueDrop } from '../../../domain/stores/alert-rules.ts';

describe('store metrics arithmetic', () => {
  it('puts an instant in the store’s local hour and day, on either side of its midnight', () => {
    expect(localHourOf(new Date('2026-11-20T22:59:59Z'), 'Europe/Berlin')).to.deep.include({ localDate: '2026-11-20', localHour: 23 });
    expect(localHourOf(new Date('2026-11-20T23:00:00Z'), 'Europe/Berlin')).to.deep.include({ localDate: '2026-11-21', localHour: 0 });
    expect(localDays(new Date('2026-11-20T23:30:00Z'), 'America/New_York')).to.deep.equal({ today: '2026-11-20', yesterday: '2026-11-19' });
  });

  it('keeps the repeated hour of a DST fall-back apart and compares with the same local hour a week ago', () => {
    const first = localHourOf(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin');
    const second = localHourOf(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin');
    expect([first.localHour, second.localHour]).to.deep.equal([2, 2]);
    expect(first.hourStart.getTime()).to.not.equal(second.hourStart.getTime());
    // Across the change a week is 169 hours, not 168.
    const after = localHourOf(new Date('2026-10-26T09:00:00Z'), 'Europe/Berlin').hourStart;
    expect((after.getTime() - sameHourLastWeek(after, 'Europe/Berlin').getTime()) / 3_600_000).to.equal(169);
  });

  it('converts decimal amounts exactly to minor units of the currency', () => {
    expect(decimalToMinor('19.99', 'EUR')).to.equal(1999);
    expect(decimalToMinor('0.1', 'EUR')).to.equal(10);
    expect(decimalToMinor('1500', 'JPY')).to.equal(1500);
    expect(decimalToMinor('1.2345', 'KWD')).to.equal(1235);
    expect(decimalToMinor(6.25, 'USD')).to.equal(625);
    expect(() => decimalToMinor('12,50', 'EUR')).to.throw(RangeError);
  });

  it('rounds the average order value half up and answers 0 without orders', () => {
    expect(averageOrderValue(1000, 3)).to.equal(333);
    expect(averageOrderValue(1001, 2)).to.equal(501);
    expect(averageOrderValue(0, 0)).to.equal(0);
  });

  it('waits for the Shopify cost bucket to refill to the next query’s cost', () => {
    expect(waitForCostMs({ maximumAvailable: 1000, currentlyAvailable: 500, restoreRate: 50 }, 60)).to.equal(0);
    expect(waitForCostMs({ maximumAvailable: 1000, currentlyAvailable: 10, restoreRate: 50 }, 60)).to.equal(1000);
  });

  it('calls a drop only against a week-ago hour worth comparing', () => {
    expect(isRevenueDrop(4000, 10000, 50, 1000)).to.equal(true);
    expect(isRevenueDrop(5000, 10000, 50, 1000)).to.equal(false);
    expect(isRevenueDrop(0, 900, 50, 1000)).to.equal(false);
  });
});
