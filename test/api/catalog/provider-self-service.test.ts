import { expect } from 'chai';
import request from 'supertest';
import { DateTime } from 'luxon';
import { confirmationToken, createUser, freshIp, platformApp, signedInAs, signIn, uniqueEmail, type PlatformApp, type Session } from '../platform/helpers.ts';
import { createService, insertBookingRow, putTemplate, signedInProvider } from './support.ts';
import { testDb } from '../../support/app.ts';

describe('catalog: a new provider sets up their business', () => {
  let app: PlatformApp['app'];
  let sent: PlatformApp['sent'];
  before(() => ({ app, sent } = platformApp()));

  /** Sign-up answers 202 and mails a link; opening it makes the account and starts a session. */
  async function signUpAndConfirm(agent: ReturnType<typeof request.agent>, body: { email: string; password: string; name: string; offersServices?: boolean }) {
    await agent.post('/api/v1/auth/sign_up').set('X-Forwarded-For', freshIp()).send(body).expect(202);
    return agent.post('/api/v1/auth/confirm_sign_up').set('X-Forwarded-For', freshIp()).send({ token: confirmationToken(sent, body.email) }).expect(201);
  }

  const put = (session: Session, path: string, body: unknown) => session.agent.put(`/api/v1${path}`).set('X-CSRF-Token', session.csrf).send(body as object);

  it('signs up as a provider with "I offer services", then creates the profile', async () => {
    const agent = request.agent(app);
    const email = uniqueEmail('offers');
    const signedUp = await signUpAndConfirm(agent, { email, password: 'long-enough-pw', name: 'Aiko', offersServices: true });
    expect(signedUp.body.user.role).to.equal('provider');
    const csrf = /pb_csrf=([^;]+)/.exec(String(signedUp.headers['set-cookie']))![1];
    const missing = await agent.get('/api/v1/providers/me/profile').expect(409);
    expect(missing.body.reason).to.equal('profile-missing');
    const made = await agent.put('/api/v1/providers/me/profile').set('X-CSRF-Token', csrf).send({ name: 'Aiko Tanaka', timezone: 'Asia/Tokyo', bio: 'Calligraphy lessons.', responseSlaMinutes: 90 }).expect(201);
    expect(made.body).to.deep.include({ name: 'Aiko Tanaka', timezone: 'Asia/Tokyo', bio: 'Calligraphy lessons.', responseSlaMinutes: 90 });
    expect((await agent.get('/api/v1/providers/me/profile').expect(200)).body.name).to.equal('Aiko Tanaka');
    expect((await agent.get('/api/v1/auth/me').expect(200)).body.user.name).to.equal('Aiko Tanaka');
  });

  it('signs up a customer when "I offer services" is not ticked', async () => {
    const res = await signUpAndConfirm(request.agent(app), { email: uniqueEmail('plain'), password: 'long-enough-pw', name: 'Cem' });
    expect(res.body.user.role).to.equal('customer');
  });

  it('turns a customer into a provider from their account, once the profile is valid', async () => {
    const customer = await signedInAs(app, 'customer');
    await put(customer, '/providers/me/profile', { timezone: 'est' }).expect(422);
    expect((await customer.agent.get('/api/v1/auth/me').expect(200)).body.user.role).to.equal('customer');
    await put(customer, '/providers/me/profile', { timezone: 'America/New_York', responseSlaMinutes: 60 }).expect(201);
    expect((await customer.agent.get('/api/v1/auth/me').expect(200)).body.user.role).to.equal('provider');
    await put(customer, '/providers/me/profile', { timezone: 'America/Chicago' }).expect(200);
  });

  it('refuses non-canonical timezone names at the field', async () => {
    const provider = await signedInAs(app, 'provider');
    for (const timezone of ['est', 'EST', 'US/Eastern', 'europe/berlin', 'Etc/GMT+5', 'GB', '+09:00', 'Mars/Olympus']) {
      const res = await put(provider, '/providers/me/profile', { timezone }).expect(422);
      expect(res.body.errors.map((e: { path: string }) => e.path), timezone).to.deep.equal(['timezone']);
    }
    for (const timezone of ['UTC', 'Asia/Tokyo', 'America/Argentina/Buenos_Aires', 'Australia/Sydney']) await put(provider, '/providers/me/profile', { timezone }).expect((r) => expect(r.status, timezone).to.be.oneOf([200, 201]));
  });

  it('keeps admins out and asks anonymous callers to sign in', async () => {
    const admin = await signedInAs(app, 'admin');
    await put(admin, '/providers/me/profile', { timezone: 'Europe/Berlin' }).expect(403);
    await request(app).get('/api/v1/providers/me/profile').expect(401);
    await request(app).get('/api/v1/providers/me/services').expect(401);
  });

  it('lists the provider’s own services with archived ones, in the order they choose', async () => {
    const provider = await signedInProvider(app);
    const a = await createService(provider, { title: 'A' });
    const b = await createService(provider, { title: 'B', autoAccept: true });
    const c = await createService(provider, { title: 'C' });
    expect(b.autoAccept).to.equal(true);
    expect(a.autoAccept).to.equal(false);
    await provider.agent.delete(`/api/v1/services/${b.id}`).set('X-CSRF-Token', provider.csrf).expect(204);
    const own = (await provider.agent.get('/api/v1/providers/me/services').expect(200)).body.items;
    expect(own.map((s: { title: string; active: boolean }) => [s.title, s.active])).to.deep.equal([['A', true], ['B', false], ['C', true]]);

    const reordered = await put(provider, '/providers/me/services/order', { ids: [c.id, a.id, b.id] }).expect(200);
    expect(reordered.body.items.map((s: { title: string }) => s.title)).to.deep.equal(['C', 'A', 'B']);
    const shown = await request(app).get(`/api/v1/providers/${provider.user.id}`).expect(200);
    expect(shown.body.services.map((s: { title: string }) => s.title)).to.deep.equal(['C', 'A']);

    await put(provider, '/providers/me/services/order', { ids: [c.id, a.id] }).expect(422);
    await put(provider, '/providers/me/services/order', { ids: [c.id, a.id, b.id, b.id] }).expect(422);
    const stranger = await createService(await signedInProvider(app), { title: 'Not mine' });
    await put(provider, '/providers/me/services/order', { ids: [c.id, a.id, stranger.id] }).expect(422);

    await provider.agent.patch(`/api/v1/services/${b.id}`).set('X-CSRF-Token', provider.csrf).send({ active: true }).expect(200);
    expect((await request(app).get(`/api/v1/providers/${provider.user.id}`).expect(200)).body.services.map((s: { title: string }) => s.title)).to.deep.equal(['C', 'A', 'B']);
  });

  it('names the field of each invalid service input', async () => {
    const provider = await signedInProvider(app);
    const res = await provider.agent
      .post('/api/v1/services')
      .set('X-CSRF-Token', provider.csrf)
      .send({ title: ' ', durationMinutes: 2, price: { kind: 'daily', amountMinor: -1, currency: 'EURO' }, bufferAfterMinutes: 999 })
      .expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal(['bufferAfterMinutes', 'durationMinutes', 'price.amountMinor', 'price.currency', 'price.kind', 'title']);
  });

  describe('hours preview', () => {
    let provider: Session;
    before(async () => {
      provider = await signIn(app, await createUser('provider'));
      await put(provider, '/providers/me/profile', { timezone: 'Asia/Tokyo' }).expect(201);
    });

    it('shows the next weeks’ open slots day by day in the provider’s zone, a day off empty', async () => {
      await putTemplate(provider, { monday: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '15:00' }], tuesday: [{ start: '10:00', end: '11:00' }] });
      const res = await provider.agent.get('/api/v1/providers/me/availability/preview').query({ weeks: 2 }).expect(200);
      expect(res.body.timezone).to.equal('Asia/Tokyo');
      expect(res.body.days).to.have.length(14);
      const today = DateTime.now().setZone('Asia/Tokyo');
      expect(res.body.days[0].date).to.equal(today.toFormat('yyyy-MM-dd'));
      const mondays = res.body.days.filter((d: { weekday: number }) => d.weekday === 1);
      const nextMonday = mondays.at(-1);
      expect(nextMonday.open.map((s: { startLabel: string }) => s.startLabel)).to.deep.equal(['09:00', '10:00', '11:00', '13:00', '14:00']);
      expect(nextMonday.zoneLabel).to.equal('GMT+9');
      for (const day of res.body.days.filter((d: { weekday: number }) => d.weekday >= 3)) expect(day.open).to.deep.equal([]);
    });

    it('never moves a booking already made when the hours change', async () => {
      const service = await createService(provider, { durationMinutes: 60 });
      await putTemplate(provider, { monday: [{ start: '09:00', end: '12:00' }] });
      const monday = DateTime.now().setZone('Asia/Tokyo').startOf('week').plus({ weeks: 1 });
      const start = monday.set({ hour: 10 });
      const id = await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: start.toUTC().toISO()!, end: start.plus({ hours: 1 }).toUTC().toISO()!, state: 'accepted' });
      const mondayOf = async () => (await provider.agent.get('/api/v1/providers/me/availability/preview').query({ weeks: 2 }).expect(200)).body.days.find((d: { date: string }) => d.date === monday.toFormat('yyyy-MM-dd'));
      expect((await mondayOf()).open.map((s: { startLabel: string }) => s.startLabel)).to.deep.equal(['09:00', '11:00']);
      expect((await mondayOf()).taken).to.equal(1);

      await putTemplate(provider, { monday: [{ start: '13:00', end: '15:00' }] });
      expect((await mondayOf()).open.map((s: { startLabel: string }) => s.startLabel)).to.deep.equal(['13:00', '14:00']);
      const booking = await testDb()('bookings').where({ id }).first('starts_at', 'state');
      expect(booking).to.deep.equal({ starts_at: start.toJSDate(), state: 'accepted' });
      await testDb()('bookings').where({ id }).delete();
    });

    it('takes a service’s shape, and refuses someone else’s service', async () => {
      await putTemplate(provider, { monday: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '15:00' }] });
      const service = await createService(provider, { durationMinutes: 90 });
      const res = await provider.agent.get('/api/v1/providers/me/availability/preview').query({ serviceId: service.id, weeks: 2 }).expect(200);
      const nextMonday = res.body.days.filter((d: { weekday: number }) => d.weekday === 1).at(-1);
      expect(nextMonday.open.map((s: { startLabel: string }) => s.startLabel)).to.deep.equal(['09:00', '10:30', '13:00']);
      const other = await createService(await signedInProvider(app));
      await provider.agent.get('/api/v1/providers/me/availability/preview').query({ serviceId: other.id }).expect(404);
      await provider.agent.get('/api/v1/providers/me/availability/preview').query({ weeks: 99 }).expect(422);
    });
  });
});
