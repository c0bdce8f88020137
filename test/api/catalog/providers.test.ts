import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { createUser, platformApp, signedInAs, signIn, type PlatformApp } from '../platform/helpers.ts';
import { createService, signedInProvider } from './support.ts';

describe('catalog: provider profiles', () => {
  let app: PlatformApp['app'];
  before(() => ({ app } = platformApp()));

  it('lets a provider create then update their profile, and shows it with rating and active services', async () => {
    const provider = await signIn(app, await createUser('provider'));
    const created = await provider.agent
      .put('/api/v1/providers/me/profile')
      .set('X-CSRF-Token', provider.csrf)
      .send({ timezone: 'Asia/Tokyo', bio: 'Fixes leaks.', responseSlaMinutes: 120 })
      .expect(201);
    expect(created.body).to.deep.include({ id: provider.user.id, timezone: 'Asia/Tokyo', bio: 'Fixes leaks.', responseSlaMinutes: 120, rating: { mean: null, count: 0 } });
    await provider.agent.put('/api/v1/providers/me/profile').set('X-CSRF-Token', provider.csrf).send({ timezone: 'Europe/Berlin', bio: 'Moved.' }).expect(200);

    const kept = await createService(provider, { title: 'Kept' });
    const dropped = await createService(provider, { title: 'Dropped' });
    await provider.agent.delete(`/api/v1/services/${dropped.id}`).set('X-CSRF-Token', provider.csrf).expect(204);
    await testDb()('provider_profiles').where({ user_id: provider.user.id }).update({ rating_sum: 14, rating_count: 3 });

    const shown = await request(app).get(`/api/v1/providers/${provider.user.id}`).expect(200);
    expect(shown.body).to.deep.include({ name: provider.user.name, timezone: 'Europe/Berlin', bio: 'Moved.', responseSlaMinutes: 24 * 60, rating: { mean: 4.67, count: 3 } });
    expect(shown.body.services.map((s: { id: number }) => s.id)).to.deep.equal([kept.id]);
  });

  it('rejects an invalid timezone or SLA with 422, anonymous with 401 and admins with 403', async () => {
    const provider = await signIn(app, await createUser('provider'));
    const bad = await provider.agent.put('/api/v1/providers/me/profile').set('X-CSRF-Token', provider.csrf).send({ timezone: 'Mars/Olympus', responseSlaMinutes: 0 }).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal(['responseSlaMinutes', 'timezone']);
    await provider.agent.put('/api/v1/providers/me/profile').set('X-CSRF-Token', provider.csrf).send({ timezone: '+02:00' }).expect(422);
    await request(app).put('/api/v1/providers/me/profile').send({ timezone: 'Europe/Berlin' }).expect(401);
    const admin = await signedInAs(app, 'admin');
    await admin.agent.put('/api/v1/providers/me/profile').set('X-CSRF-Token', admin.csrf).send({ timezone: 'Europe/Berlin' }).expect(403);
  });

  it('answers 404 for people who are not providers, unknown ids and disabled providers', async () => {
    const customer = await createUser('customer');
    await request(app).get(`/api/v1/providers/${customer.id}`).expect(404);
    await request(app).get('/api/v1/providers/999999').expect(404);
    await request(app).get('/api/v1/providers/abc').expect(404);
    const provider = await signedInProvider(app);
    await testDb()('users').where({ id: provider.user.id }).update({ disabled_at: new Date() });
    await request(app).get(`/api/v1/providers/${provider.user.id}`).expect(404);
  });

  it('hides a disabled provider’s services from search', async () => {
    const provider = await signedInProvider(app);
    const service = await createService(provider, { title: 'Vanishing act' });
    await request(app).get(`/api/v1/services/${service.id}`).expect(200);
    await testDb()('users').where({ id: provider.user.id }).update({ disabled_at: new Date() });
    await request(app).get(`/api/v1/services/${service.id}`).expect(404);
    const found = await request(app).get('/api/v1/services').query({ providerId: provider.user.id }).expect(200);
    expect(found.body.total).to.equal(0);
  });
});
