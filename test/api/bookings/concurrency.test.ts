import { expect } from 'chai';
import { customer, marketplace, post, quarterHourFromNow, type Marketplace } from './support.ts';

describe('bookings API: simultaneous holds', function () {
  this.timeout(60_000);
  let market: Marketplace;

  before(async () => {
    market = await marketplace();
  });

  it('gives 50 simultaneous holds on one slot exactly one hold and 49 clear 409s', async () => {
    const customers = await Promise.all(Array.from({ length: 10 }, () => customer(market.stack)));
    const startsAt = quarterHourFromNow(48);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(customers[i % customers.length], '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).to.have.length(1);
    expect(statuses.filter((s) => s === 409)).to.have.length(49);
    for (const res of answers.filter((r) => r.status === 409)) {
      expect(res.type).to.equal('application/problem+json');
      expect(res.body.detail).to.match(/just taken|no longer open/);
    }
  });
});
