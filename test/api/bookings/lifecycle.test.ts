import { expect } from 'chai';
import { testDb } from '../../support/app.ts';
import { customer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from './support.ts';
import { createUser, signIn } from '../platform/helpers.ts';

describe('bookings API: the lifecycle through the booking actor', function () {
  this.timeout(60_000);
  let market: Marketplace;

  before(async () => {
    market = await marketplace();
  });

  it('holds a slot for ten minutes and shows it to its customer and provider only', async () => {
    const carla = await customer(market.stack);
    const startsAt = quarterHourFromNow(8);
    const res = await post(carla, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt }).expect(201);
    expect(res.body).to.include({ state: 'held', startsAt: new Date(startsAt).toISOString() });
    const ttl = new Date(res.body.holdExpiresAt).getTime() - Date.now();
    expect(ttl).to.be.within(9 * 60_000, 10 * 60_000);
    expect(res.body.price).to.deep.equal({ amountMinor: 5000, currency: 'EUR' });

    // The hold's answer is the booking as any later read shows it.
    expect((await carla.agent.get(`/api/v1/bookings/${res.body.id}`).expect(200)).body).to.deep.equal(res.body);
    expect(res.header.location).to.equal(`/api/v1/bookings/${res.body.id}`);
    await market.provider.agent.get(`/api/v1/bookings/${res.body.id}`).expect(200);
    const stranger = await customer(market.stack);
    const hidden = await stranger.agent.get(`/api/v1/bookings/${res.body.id}`).expect(404);
    expect(hidden.body.type).to.equal('https://pulseboard.dev/problems/not-found');
  });

  it('goes confirm and accept from the email link, with notifications, mail and a board task', async () => {
    const carla = await customer(market.stack);
    const startsAt = quarterHourFromNow(10);
    const id = await hold(carla, market.serviceId, startsAt);

    const confirmed = await post(carla, `/api/v1/bookings/${id}/confirm`, { note: 'Side door, please' }).expect(200);
    expect(confirmed.body).to.include({ state: 'requested', customerNotes: 'Side door, please' });
    // The answer time (24 h) would run past the start: the provider is asked to answer an hour before it.
    expect(Date.parse(startsAt) - Date.parse(confirmed.body.respondBy)).to.equal(60 * 60_000);

    const unread = await market.provider.agent.get('/api/v1/notifications').expect(200);
    expect(unread.body.items[0]).to.include({ kind: 'booking.confirm', link: `/bookings/${id}`, read: false });
    expect(unread.body.unread).to.be.greaterThan(0);

    const mail = await testDb()('dev_outbox').where({ to_address: market.provider.user.email }).orderBy('id', 'desc').first();
    expect(mail.subject).to.equal('New booking request: Quick fix');
    const token = /\/respond\/([\w.-]+)\?action=accept/.exec(mail.text_body)![1];

    const shown = await market.provider.agent.get(`/api/v1/booking_links/${token}`).expect(200);
    expect(shown.body).to.include({ spent: false });
    expect(shown.body.booking).to.include({ id, state: 'requested' });

    // The link works without a session: the provider may open it on their phone.
    const { default: request } = await import('supertest');
    const accepted = await request(market.stack.app).post(`/api/v1/booking_links/${token}/accept`).send({}).expect(200);
    expect(accepted.body.state).to.equal('accepted');
    const reused = await request(market.stack.app).post(`/api/v1/booking_links/${token}/decline`).send({}).expect(410);
    expect(reused.body.detail).to.equal('This link has been used already.');

    const task = await testDb()('tasks as t').join('board_columns as c', 'c.id', 't.column_id').where('t.booking_id', id).first('c.name', 't.assignee_id', 't.title');
    expect(task).to.deep.equal({ name: 'Accepted', assignee_id: market.provider.user.id, title: `Quick fix · ${carla.user.name}` });
  });

  it('refuses a request too soon to be answered, and takes it where the service accepts at once; then start, complete and rating', async () => {
    const carla = await customer(market.stack);
    const soon = quarterHourFromNow(1);
    const refused = await post(carla, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt: soon }).expect(409);
    expect(refused.body.reason).to.equal('too-soon-to-answer');
    expect(refused.body.detail).to.contain('this time is too soon');
    const slots = await carla.agent.get(`/api/v1/providers/${market.provider.user.id}/slots`).query({ serviceId: market.serviceId }).expect(200);
    expect(Date.parse(slots.body.slots[0].start) - Date.now()).to.be.greaterThan(75 * 60_000 - 1000);

    const id = await hold(carla, market.instantServiceId, soon);
    const confirmed = await post(carla, `/api/v1/bookings/${id}/confirm`).expect(200);
    expect(confirmed.body).to.include({ state: 'accepted', respondBy: null });
    const toProvider = await testDb()('dev_outbox').where({ to_address: market.provider.user.email }).orderBy('id', 'desc').first('subject', 'text_body');
    expect(toProvider.subject).to.equal('New booking: Instant fix');
    expect(toProvider.text_body).to.contain('accepted at once').and.not.contain('/respond/');

    expect((await post(market.provider, `/api/v1/bookings/${id}/start`).expect(200)).body.state).to.equal('in_progress');
    expect((await post(market.provider, `/api/v1/bookings/${id}/complete`).expect(200)).body.state).to.equal('completed');
    const done = await testDb()('tasks as t').join('board_columns as c', 'c.id', 't.column_id').where('t.booking_id', id).first('c.name');
    expect(done.name).to.equal('Done');

    const rated = await post(carla, `/api/v1/bookings/${id}/rating`, { score: 4, comment: 'Quick and tidy' }).expect(201);
    expect(rated.body.rating).to.deep.equal({ score: 4, comment: 'Quick and tidy' });
    const again = await post(carla, `/api/v1/bookings/${id}/rating`, { score: 5 }).expect(409);
    expect(again.body.detail).to.equal('This booking has been rated already.');
    const profile = await market.provider.agent.get(`/api/v1/providers/${market.provider.user.id}`).expect(200);
    expect(profile.body.rating).to.deep.include({ count: 1 });

    const events = await testDb()('booking_events').where({ booking_id: id }).orderBy('sequence').pluck('to_state');
    expect(events).to.deep.equal(['requested', 'accepted', 'in_progress', 'completed']);
  });

  it('refuses an illegal transition with a 409 carrying the actor’s reason, and changes nothing', async () => {
    const carla = await customer(market.stack);
    const id = await hold(carla, market.serviceId, quarterHourFromNow(12));
    const refused = await post(carla, `/api/v1/bookings/${id}/accept`).expect(409);
    expect(refused.body).to.include({ type: 'https://pulseboard.dev/problems/conflict', detail: 'A booking that is held cannot be accepted.' });
    const booking = await carla.agent.get(`/api/v1/bookings/${id}`).expect(200);
    expect(booking.body.state).to.equal('held');
  });

  it('frees the slot when the customer cancels, so another can hold it', async () => {
    const startsAt = quarterHourFromNow(16);
    const carla = await customer(market.stack);
    const id = await hold(carla, market.serviceId, startsAt);
    const chris = await customer(market.stack);
    const taken = await post(chris, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt }).expect(409);
    expect(taken.body.detail).to.match(/no longer open|just taken/);
    const canceled = await post(carla, `/api/v1/bookings/${id}/cancel`, { note: 'Changed my mind' }).expect(200);
    expect(canceled.body).to.include({ state: 'canceled', closingNote: 'Changed my mind' });
    await hold(chris, market.serviceId, startsAt);
  });

  it('lists my bookings as customer and as provider, filtered by state', async () => {
    const carla = await customer(market.stack);
    const first = await hold(carla, market.serviceId, quarterHourFromNow(20));
    const second = await hold(carla, market.serviceId, quarterHourFromNow(21));
    await post(carla, `/api/v1/bookings/${second}/confirm`).expect(200);
    const mine = await carla.agent.get('/api/v1/bookings/mine').expect(200);
    expect(mine.body.items.map((b: { id: number }) => b.id)).to.have.members([first, second]);
    const held = await carla.agent.get('/api/v1/bookings/mine?state=held').expect(200);
    expect(held.body.items.map((b: { id: number }) => b.id)).to.deep.equal([first]);
    const requests = await market.provider.agent.get('/api/v1/bookings/mine?as=provider&state=requested').expect(200);
    expect(requests.body.items.map((b: { id: number }) => b.id)).to.include(second);
  });

  it('answers bad input with clear 4xx problems', async () => {
    const carla = await customer(market.stack);
    const missing = await post(carla, '/api/v1/bookings/hold', { startsAt: quarterHourFromNow(30) }).expect(422);
    expect(missing.body.errors[0].path).to.equal('serviceId');
    await post(carla, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt: 'tomorrow at noon' }).expect(422);
    await post(carla, '/api/v1/bookings/hold', { serviceId: 999999, startsAt: quarterHourFromNow(30) }).expect(404);
    const offGrid = await post(carla, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt: new Date(Date.parse(quarterHourFromNow(30)) + 7 * 60_000).toISOString() }).expect(409);
    expect(offGrid.body.reason).to.equal('slot-unavailable');
    const { default: request } = await import('supertest');
    await request(market.stack.app).post('/api/v1/bookings/hold').send({ serviceId: market.serviceId, startsAt: quarterHourFromNow(30) }).expect(401);
    await post(carla, '/api/v1/bookings/abc/confirm').expect(404);
    await post(carla, '/api/v1/bookings/1/explode').expect(404);
    await post(carla, '/api/v1/notifications/read', { ids: 'all' }).expect(422);
    const ownService = await post(market.provider, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt: quarterHourFromNow(31) }).expect(409);
    expect(ownService.body.detail).to.equal('You cannot book your own service.');
  });

  it('keeps notifications per person: unread count and mark read', async () => {
    const carla = await customer(market.stack);
    const id = await hold(carla, market.serviceId, quarterHourFromNow(40));
    await post(carla, `/api/v1/bookings/${id}/confirm`).expect(200);
    await post(market.provider, `/api/v1/bookings/${id}/decline`, { note: 'Fully booked that day' }).expect(200);
    const list = await carla.agent.get('/api/v1/notifications').expect(200);
    expect(list.body.items.map((n: { title: string }) => n.title)).to.include('Booking declined: Quick fix');
    expect((await carla.agent.get('/api/v1/notifications/unread_count').expect(200)).body.unread).to.equal(list.body.unread);
    const afterRead = await post(carla, '/api/v1/notifications/read', { all: true }).expect(200);
    expect(afterRead.body.unread).to.equal(0);
    const outsider = await signIn(market.stack.app, await createUser('customer'));
    expect((await outsider.agent.get('/api/v1/notifications').expect(200)).body.items).to.deep.equal([]);
  });

  it('writes each person’s mail and notifications in their own zone, named: the customer’s is the one they booked in', async () => {
    const nadia = await customer(market.stack);
    const startsAt = quarterHourFromNow(9);
    const bad = await post(nadia, '/api/v1/bookings/hold', { serviceId: market.instantServiceId, startsAt, timezone: 'Mars/Olympus' }).expect(422);
    expect(bad.body.errors[0].path).to.equal('timezone');
    const held = await post(nadia, '/api/v1/bookings/hold', { serviceId: market.instantServiceId, startsAt, timezone: 'America/New_York' }).expect(201);
    await post(nadia, `/api/v1/bookings/${held.body.id}/confirm`).expect(200);

    const label = (zone: string) => `${new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'full', timeStyle: 'short', hour12: false }).format(new Date(startsAt))} (${zone})`;
    const mailTo = (email: string) => testDb()('dev_outbox').where({ to_address: email }).orderBy('id', 'desc').first('text_body');
    expect((await mailTo(nadia.user.email)).text_body).to.contain(label('America/New_York'));
    expect((await mailTo(market.provider.user.email)).text_body).to.contain(label('Europe/Berlin'));
    const notification = (await nadia.agent.get('/api/v1/notifications').expect(200)).body.items[0];
    expect(notification.body).to.contain(label('America/New_York'));
  });
});
