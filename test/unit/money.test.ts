import { expect } from 'chai';
import { formatMoney, moneySchema, multiplyHourly } from '../../domain/money.ts';

describe('money', () => {
  describe('multiplyHourly', () => {
    it('charges whole and partial hours exactly', () => {
      expect(multiplyHourly(6000, 60)).to.equal(6000);
      expect(multiplyHourly(6000, 90)).to.equal(9000);
      expect(multiplyHourly(0, 45)).to.equal(0);
    });
    it('rounds half up, to the nearest minor unit', () => {
      expect(multiplyHourly(1000, 50)).to.equal(833); // 833.33…
      expect(multiplyHourly(1000, 20)).to.equal(333); // 333.33…
      expect(multiplyHourly(1000, 40)).to.equal(667); // 666.66…
      expect(multiplyHourly(1, 30)).to.equal(1); // exactly 0.5
      expect(multiplyHourly(1, 29)).to.equal(0);
    });
    it('stays exact where a float product would not be safe', () => {
      expect(multiplyHourly(Number.MAX_SAFE_INTEGER, 60)).to.equal(Number.MAX_SAFE_INTEGER);
    });
    it('refuses fractional or negative inputs', () => {
      expect(() => multiplyHourly(10.5, 60)).to.throw(RangeError);
      expect(() => multiplyHourly(-100, 60)).to.throw(RangeError);
      expect(() => multiplyHourly(100, 1.5)).to.throw(RangeError);
    });
  });

  describe('formatMoney', () => {
    it("uses the currency's minor digits and the locale's conventions", () => {
      expect(formatMoney(123456, 'USD', 'en-US')).to.equal('$1,234.56');
      expect(formatMoney(1999, 'EUR', 'de-DE')).to.equal('19,99\u00a0€');
      expect(formatMoney(1500, 'JPY', 'ja-JP')).to.equal('￥1,500');
      expect(formatMoney(1234, 'KWD', 'en-US')).to.equal('KWD\u00a01.234');
      expect(formatMoney(-500, 'GBP', 'en-GB')).to.equal('-£5.00');
    });
  });

  it('moneySchema accepts integer minor units with an ISO currency only', () => {
    expect(moneySchema.safeParse({ amountMinor: 1999, currency: 'EUR' }).success).to.equal(true);
    expect(moneySchema.safeParse({ amountMinor: 19.99, currency: 'EUR' }).success).to.equal(false);
    expect(moneySchema.safeParse({ amountMinor: 1999, currency: 'eur' }).success).to.equal(false);
  });
});
