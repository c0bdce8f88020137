import { expect } from 'chai';
import { createApp } from '../../../api/app.ts';
import { connectTemporal } from '../../../api/temporal.ts';
import { testDb } from '../../support/app.ts';
import { createUser, signIn } from '../platform/helpers.ts';
import { customer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from './support.ts';

describe('bookings API: a hold never outlives a failed start of its actor', function () {
  this.timeout(60_000);
  let market: Marketplace;

  before(async () => {
    market = await marketplace();
  });

  it('gives the slot back when the booking actor cannot be started, so it can be held again', async () => {
    // The same app on a Temporal connection that is gone by the time the hold asks for the actor.
    const live = market.stack.ctx.temporal!;
    const gone = await connectTemporal(live.address, live.namespace, live.taskQueue);
    await gone.close();
    const broken = createApp({ ...market.stack.ctx, temporal: gone });
    const carla = await signIn(broken, await createUser('customer'));
    const startsAt = quarterHourFromNow(60);

    const failed = await post(carla, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt });
    expect(failed.status).to.be.within(500, 599);
    expect(failed.type).to.equal('application/problem+json');
    expect(await testDb()('bookings').where({ service_id: market.serviceId, starts_at: new Date(startsAt) }).first()).to.equal(undefined);

    await hold(await customer(market.stack), market.serviceId, startsAt);
  });
});
