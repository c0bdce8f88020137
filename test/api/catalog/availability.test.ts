import { expect } from 'chai';
import request from 'supertest';
import { createUser, platformApp, signedInAs, signIn, type PlatformApp, type Session } from '../platform/helpers.ts';
import { localDateAhead, putTemplate, signedInProvider } from './support.ts';

describe('catalog: a provider’s availability', () => {
  let app: PlatformApp['app'];
  let provider: Session;

  before(async () => {
    ({ app } = platformApp());
    provider = await signedInProvider(app, 'Europe/Lisbon');
  });

  const send = (method: 'put' | 'post' | 'delete', path: string, body?: unknown, session = provider) =>
    session.agent[method](`/api/v1/providers/me${path}`).set('X-CSRF-Token', session.csrf).send(body as object);
  const mine = async () => (await provider.agent.get('/api/v1/providers/me/availability').expect(200)).body;

  it('replaces the weekly template and reads it back', async () => {
    await putTemplate(provider, { monday: [{ start: '13:00', end: '18:00' }, { start: '08:00', end: '12:00' }], saturday: [{ start: '10:00', end: '24:00' }] });
    expect(await mine()).to.deep.include({
      timezone: 'Europe/Lisbon',
      template: { monday: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }], saturday: [{ start: '10:00', end: '24:00' }] },
    });
    await putTemplate(provider, { tuesday: [{ start: '09:00', end: '17:00' }] });
    expect((await mine()).template).to.deep.equal({ tuesday: [{ start: '09:00', end: '17:00' }] });
  });

  it('rejects intervals that end before they start, overlap, or are not times', async () => {
    for (const template of [{ monday: [{ start: '17:00', end: '09:00' }] }, { monday: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] }, { monday: [{ start: '9am', end: '5pm' }] }, { someday: [] }]) {
      await send('put', '/availability/template', template).expect(422);
    }
    expect((await mine()).template).to.deep.equal({ tuesday: [{ start: '09:00', end: '17:00' }] });
  });

  it('sets, replaces and removes a date override', async () => {
    const { date } = localDateAhead(3, 'Europe/Lisbon');
    await send('put', `/availability/overrides/${date}`, { intervals: [{ start: '10:00', end: '12:00' }] }).expect(200);
    expect((await mine()).overrides).to.deep.equal([{ date, intervals: [{ start: '10:00', end: '12:00' }] }]);
    await send('put', `/availability/overrides/${date}`, { closed: true }).expect(200);
    expect((await mine()).overrides).to.deep.equal([{ date, closed: true }]);
    await send('delete', `/availability/overrides/${date}`).expect(204);
    expect((await mine()).overrides).to.deep.equal([]);
    await send('delete', `/availability/overrides/${date}`).expect(404);
    await send('put', '/availability/overrides/2026-02-30', { closed: true }).expect(422);
    await send('put', `/availability/overrides/${date}`, { intervals: [{ start: '12:00', end: '10:00' }] }).expect(422);
    await send('put', `/availability/overrides/${date}`, {}).expect(422);
  });

  it('adds and removes the provider’s own blocks, never someone else’s', async () => {
    const day = localDateAhead(2, 'Europe/Lisbon');
    const created = await send('post', '/blocks', { start: day.from, end: day.to, reason: 'Dentist' }).expect(201);
    expect(created.body).to.deep.include({ source: 'provider', reason: 'Dentist', start: new Date(day.from).toISOString(), end: new Date(day.to).toISOString() });
    expect((await mine()).blocks.map((b: { id: number }) => b.id)).to.deep.equal([created.body.id]);

    await send('post', '/blocks', { start: day.to, end: day.from }).expect(422);
    await send('post', '/blocks', { start: 'soon', end: day.to }).expect(422);

    const other = await signedInProvider(app);
    await send('delete', `/blocks/${created.body.id}`, undefined, other).expect(404);
    await send('delete', `/blocks/${created.body.id}`).expect(204);
    await send('delete', `/blocks/${created.body.id}`).expect(404);
    await send('delete', '/blocks/abc').expect(404);
  });

  it('is for providers with a profile: anonymous 401, customers 403, no profile yet 409', async () => {
    await request(app).get('/api/v1/providers/me/availability').expect(401);
    await request(app).put('/api/v1/providers/me/availability/template').send({}).expect(401);
    await request(app).post('/api/v1/providers/me/blocks').send({}).expect(401);
    const customer = await signedInAs(app, 'customer');
    await customer.agent.get('/api/v1/providers/me/availability').expect(403);
    await send('put', '/availability/template', {}, customer).expect(403);
    const newcomer = await signIn(app, await createUser('provider'));
    const res = await newcomer.agent.get('/api/v1/providers/me/availability').expect(409);
    expect(res.body.detail).to.contain('/providers/me/profile');
  });
});
