import { expect } from 'chai';
import { createApp } from '../../../api/app.ts';
import { connectTemporal } from '../../../api/temporal.ts';
import { testDb } from '../../support/app.ts';
import { createUser, signIn } from '../platform/helpers.ts';
import { customer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from './support.ts';

describe('bookings API: a hold never takes its slot without an actor to expire it', function () {
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

  it('frees a slot that an expired hold without an actor still takes (the API stopped before starting it)', async () => {
    const startsAt = quarterHourFromNow(64);
    const db = testDb();
    const service = await db('services').where({ id: market.serviceId }).first();
    const gone = await createUser('customer');
    const ends = new Date(new Date(startsAt).getTime() + 15 * 60_000);
    const [orphan] = await db('bookings')
      .insert({
        service_id: service.id,
        provider_id: service.provider_id,
        customer_id: gone.id,
        starts_at: new Date(startsAt),
        ends_at: ends,
        blocks: db.raw("tstzrange(?, ?, '[)')", [startsAt, ends.toISOString()]),
        state: 'held',
        hold_expires_at: new Date(Date.now() - 60_000),
        price_minor: 1000,
        currency: 'EUR',
      })
      .returning('id');

    const id = await hold(await customer(market.stack), market.serviceId, startsAt);

    expect(id).to.not.equal(orphan.id);
    expect((await db('bookings').where({ id: orphan.id }).first()).state).to.equal('expired');
    const events = await db('booking_events').where({ booking_id: orphan.id });
    expect(events.map((e) => [e.action, e.from_state, e.to_state, e.actor_role])).to.deep.equal([['expire', 'held', 'expired', 'system']]);
  });
});
