import { expect } from 'chai';
import { default as request } from 'supertest';
import { testDb } from '../../support/app.ts';
import { customer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from './support.ts';
import type { Session } from '../platform/helpers.ts';
import { createUser, signIn } from '../platform/helpers.ts';

describe('bookings API: a new time, proposed by one side and answered by the other', function () {
  this.timeout(90_000);
  let market: Marketplace;

  before(async () => {
    market = await marketplace();
  });

  /** An accepted booking of the service that accepts at once, its customer booking in New York time. */
  async function acceptedBooking(quarters: number): Promise<{ carla: Session; id: number; startsAt: string }> {
    const carla = await customer(market.stack);
    const startsAt = quarterHourFromNow(quarters);
    const res = await post(carla, '/api/v1/bookings/hold', { serviceId: market.instantServiceId, startsAt, timezone: 'America/New_York' }).expect(201);
    await post(carla, `/api/v1/bookings/${res.body.id}/confirm`).expect(200);
    return { carla, id: res.body.id, startsAt };
  }

  const lastMail = (to: string) => testDb()('dev_outbox').where({ to_address: to }).orderBy('id', 'desc').first('subject', 'text_body');
  const slotState = async (session: Session, startsAt: string) => {
    const from = new Date(Date.parse(startsAt) - 60_000).toISOString();
    const to = new Date(Date.parse(startsAt) + 60_000).toISOString();
    const res = await session.agent.get(`/api/v1/providers/${market.provider.user.id}/slots`).query({ serviceId: market.instantServiceId, from, to }).expect(200);
    return res.body.slots.find((s: { start: string }) => s.start === new Date(startsAt).toISOString())?.state;
  };

  it('the customer proposes; the slot is held for them; the provider accepts from the email link and the booking moves', async () => {
    const { carla, id, startsAt } = await acceptedBooking(12);
    const newStart = quarterHourFromNow(20);
    const proposed = await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: newStart }).expect(200);
    expect(proposed.body.startsAt).to.equal(new Date(startsAt).toISOString());
    expect(proposed.body.reschedule).to.include({ startsAt: new Date(newStart).toISOString(), proposedBy: 'customer' });
    expect(Date.parse(proposed.body.reschedule.respondBy)).to.equal(Date.parse(startsAt) - 60 * 60_000);

    // Nobody else can take the proposed time meanwhile, and the old one stays the booking's.
    const chris = await customer(market.stack);
    expect(await slotState(chris, newStart)).to.equal('held');
    expect((await post(chris, '/api/v1/bookings/hold', { serviceId: market.instantServiceId, startsAt: newStart }).expect(409)).body.detail).to.match(/no longer open|just taken/);
    await post(chris, '/api/v1/bookings/hold', { serviceId: market.instantServiceId, startsAt }).expect(409);

    // The provider reads it in their zone, named, with accept / decline links.
    const mail = await lastMail(market.provider.user.email);
    expect(mail.subject).to.equal('New time proposed: Instant fix');
    expect(mail.text_body).to.contain('(Europe/Berlin)').and.contain('Please answer by');
    const token = /\/respond\/([\w.-]+)\?action=accept/.exec(mail.text_body)![1];
    const shown = await request(market.stack.app).get(`/api/v1/booking_links/${token}`).expect(200);
    expect(shown.body).to.include({ kind: 'reschedule', party: 'provider', proposedStart: new Date(newStart).toISOString(), spent: false });

    const accepted = await request(market.stack.app).post(`/api/v1/booking_links/${token}/accept`).send({}).expect(200);
    expect(accepted.body).to.include({ state: 'accepted', startsAt: new Date(newStart).toISOString(), reschedule: null });
    await request(market.stack.app).post(`/api/v1/booking_links/${token}/accept`).send({}).expect(410);

    // The customer hears in the zone they booked in; the old time is free for others again.
    const toCarla = await lastMail(carla.user.email);
    expect(toCarla.subject).to.equal('Booking moved: Instant fix');
    expect(toCarla.text_body).to.contain('(America/New_York)').and.not.contain('Europe/Berlin');
    await hold(chris, market.instantServiceId, startsAt);
    const events = await testDb()('booking_events').where({ booking_id: id }).orderBy('sequence').pluck('action');
    expect(events).to.deep.equal(['confirm', 'accept', 'reschedule_proposed', 'reschedule_accepted']);
    // The provider's board card is due at the new time.
    const task = await testDb()('tasks').where({ booking_id: id }).first('due_at');
    expect(task.due_at.toISOString()).to.equal(new Date(newStart).toISOString());
  });

  it('the provider proposes, the customer declines: the booking keeps its time and the proposed one is free', async () => {
    const { carla, id, startsAt } = await acceptedBooking(24);
    const newStart = quarterHourFromNow(28);
    await post(market.provider, `/api/v1/bookings/${id}/reschedule`, { startsAt: newStart }).expect(200);
    const mail = await lastMail(carla.user.email);
    expect(mail.subject).to.equal('New time proposed: Instant fix');
    expect(mail.text_body).to.contain('(America/New_York)').and.contain('/respond/');
    const token = /\/respond\/([\w.-]+)\?action=decline/.exec(mail.text_body)![1];
    expect((await request(market.stack.app).get(`/api/v1/booking_links/${token}`).expect(200)).body).to.include({ kind: 'reschedule', party: 'customer' });

    const declined = await post(carla, `/api/v1/bookings/${id}/reschedule/decline`, { note: 'Cannot then' }).expect(200);
    // The reason goes to the provider and the booking's log; the booking itself has not ended.
    expect(declined.body).to.include({ startsAt: new Date(startsAt).toISOString(), reschedule: null, closingNote: null });
    expect((await lastMail(market.provider.user.email)).text_body).to.contain('declined moving').and.contain('Reason: Cannot then');
    await hold(await customer(market.stack), market.instantServiceId, newStart);
  });

  it('lets only the parties act, and answers every refusal with a 4xx that says why', async () => {
    const { carla, id, startsAt } = await acceptedBooking(32);
    const stranger = await customer(market.stack);
    await post(stranger, `/api/v1/bookings/${id}/reschedule`, { startsAt: quarterHourFromNow(36) }).expect(404);
    await post(stranger, `/api/v1/bookings/${id}/reschedule/accept`).expect(404);
    const admin = await signIn(market.stack.app, await createUser('admin'));
    expect((await post(admin, `/api/v1/bookings/${id}/reschedule`, { startsAt: quarterHourFromNow(36) }).expect(409)).body.detail).to.equal(
      'Only the booking’s customer or provider can propose a new time.',
    );

    expect((await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: 'tomorrow' }).expect(422)).body.detail).to.match(/^startsAt: /);
    await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: quarterHourFromNow(36), extra: 1 }).expect(422);
    expect((await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt }).expect(409)).body.detail).to.match(/at this time already/);
    // Not a slot start of the service (off the quarter hour): not open.
    const offGrid = new Date(Date.parse(quarterHourFromNow(36)) + 7 * 60_000).toISOString();
    expect((await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: offGrid }).expect(409)).body.detail).to.match(/not open/);
    // Someone else's booking is there.
    const taken = quarterHourFromNow(40);
    await hold(stranger, market.instantServiceId, taken);
    expect((await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: taken }).expect(409)).body.detail).to.match(/not open/);

    await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: quarterHourFromNow(44) }).expect(200);
    expect((await post(market.provider, `/api/v1/bookings/${id}/reschedule`, { startsAt: quarterHourFromNow(48) }).expect(409)).body.detail).to.match(/already proposed/);
    expect((await post(carla, `/api/v1/bookings/${id}/reschedule/accept`).expect(409)).body.detail).to.equal('You proposed this time: the other side answers it.');
    expect((await post(admin, `/api/v1/bookings/${id}/reschedule/accept`).expect(409)).body.detail).to.equal('Only the booking’s provider can answer the proposed time.');
  });

  it('a cancel while a proposal is pending frees both times', async () => {
    const { carla, id, startsAt } = await acceptedBooking(52);
    const newStart = quarterHourFromNow(56);
    await post(market.provider, `/api/v1/bookings/${id}/reschedule`, { startsAt: newStart }).expect(200);
    const canceled = await post(carla, `/api/v1/bookings/${id}/cancel`).expect(200);
    expect(canceled.body).to.include({ state: 'canceled', reschedule: null });
    const chris = await customer(market.stack);
    await hold(chris, market.instantServiceId, startsAt);
    await hold(chris, market.instantServiceId, newStart);
  });

  it('races the acceptance of a new time with a cancel: the booking ends canceled and both times are free', async () => {
    const { carla, id, startsAt } = await acceptedBooking(60);
    const newStart = quarterHourFromNow(64);
    await post(carla, `/api/v1/bookings/${id}/reschedule`, { startsAt: newStart }).expect(200);
    const [accept, cancel] = await Promise.all([post(market.provider, `/api/v1/bookings/${id}/reschedule/accept`), post(carla, `/api/v1/bookings/${id}/cancel`)]);
    expect(cancel.status).to.equal(200);
    // Either the accept went first (the booking moved, then was canceled), or it found nothing to accept.
    if (accept.status === 409) expect(accept.body.detail).to.match(/No new time is waiting/);
    else expect(accept.status).to.equal(200);
    const row = await testDb()('bookings').where({ id }).first('state', 'starts_at', 'proposed_blocks');
    expect(row).to.include({ state: 'canceled', proposed_blocks: null });
    expect(row.starts_at.toISOString()).to.equal(new Date(accept.status === 200 ? newStart : startsAt).toISOString());
    const chris = await customer(market.stack);
    await hold(chris, market.instantServiceId, startsAt);
    await hold(chris, market.instantServiceId, newStart);
  });
});
