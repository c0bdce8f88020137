import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { platformApp, signedInAs, type PlatformApp, type Session } from '../platform/helpers.ts';
import { createService, signedInProvider } from './support.ts';

describe('catalog: services', () => {
  let app: PlatformApp['app'];
  let provider: Session;
  let other: Session;
  let admin: Session;

  before(async () => {
    ({ app } = platformApp());
    provider = await signedInProvider(app);
    other = await signedInProvider(app, 'America/New_York');
    admin = await signedInAs(app, 'admin');
  });

  it('lets a provider create, read, change and deactivate their own service', async () => {
    const created = await createService(provider, { title: 'Boiler service', description: 'Annual check', bufferAfterMinutes: 15 });
    expect(created).to.include({ providerId: provider.user.id, title: 'Boiler service', durationMinutes: 60, bufferAfterMinutes: 15, active: true });
    expect(created.price).to.deep.equal({ kind: 'fixed', amountMinor: 5000, currency: 'EUR' });

    const read = await request(app).get(`/api/v1/services/${created.id}`).expect(200);
    expect(read.body).to.deep.equal(created);

    const changed = await provider.agent
      .patch(`/api/v1/services/${created.id}`)
      .set('X-CSRF-Token', provider.csrf)
      .send({ price: { kind: 'hourly', amountMinor: 4500, currency: 'EUR' }, durationMinutes: 90 })
      .expect(200);
    expect(changed.body).to.include({ durationMinutes: 90, title: 'Boiler service' });
    expect(changed.body.price).to.deep.equal({ kind: 'hourly', amountMinor: 4500, currency: 'EUR' });

    await provider.agent.delete(`/api/v1/services/${created.id}`).set('X-CSRF-Token', provider.csrf).expect(204);
    await request(app).get(`/api/v1/services/${created.id}`).expect(404);
    const own = await provider.agent.get(`/api/v1/services/${created.id}`).expect(200);
    expect(own.body.active).to.equal(false);
  });

  it('keeps other people away from a service: anonymous 401, another provider or a customer 403, an admin allowed', async () => {
    const service = await createService(provider);
    await request(app).post('/api/v1/services').send({ title: 'x' }).expect(401);
    await request(app).patch(`/api/v1/services/${service.id}`).send({ title: 'Hijacked' }).expect(401);
    await request(app).delete(`/api/v1/services/${service.id}`).expect(401);
    await other.agent.patch(`/api/v1/services/${service.id}`).set('X-CSRF-Token', other.csrf).send({ title: 'Hijacked' }).expect(403);
    await other.agent.delete(`/api/v1/services/${service.id}`).set('X-CSRF-Token', other.csrf).expect(403);
    const customer = await signedInAs(app, 'customer');
    await customer.agent.post('/api/v1/services').set('X-CSRF-Token', customer.csrf).send({ title: 'Mine', durationMinutes: 30, price: { kind: 'fixed', amountMinor: 1, currency: 'EUR' } }).expect(403);
    await other.agent
      .post('/api/v1/services')
      .set('X-CSRF-Token', other.csrf)
      .send({ providerId: provider.user.id, title: 'In your name', durationMinutes: 30, price: { kind: 'fixed', amountMinor: 1, currency: 'EUR' } })
      .expect(403);

    const byAdmin = await admin.agent.patch(`/api/v1/services/${service.id}`).set('X-CSRF-Token', admin.csrf).send({ title: 'Renamed by admin' }).expect(200);
    expect(byAdmin.body.title).to.equal('Renamed by admin');
    const forProvider = await admin.agent
      .post('/api/v1/services')
      .set('X-CSRF-Token', admin.csrf)
      .send({ providerId: provider.user.id, title: 'Made by admin', durationMinutes: 30, price: { kind: 'fixed', amountMinor: 100, currency: 'EUR' } })
      .expect(201);
    expect(forProvider.body.providerId).to.equal(provider.user.id);
    expect((await request(app).get(`/api/v1/services/${service.id}`).expect(200)).body.title).to.equal('Renamed by admin');
  });

  it('answers bad input with 422 problems that name the field, and unknown ids with 404', async () => {
    const bad = await provider.agent
      .post('/api/v1/services')
      .set('X-CSRF-Token', provider.csrf)
      .send({ title: '', durationMinutes: 2, price: { kind: 'monthly', amountMinor: -1, currency: 'euro' } })
      .expect(422);
    expect(bad.type).to.equal('application/problem+json');
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).to.include.members(['title', 'durationMinutes', 'price.kind', 'price.amountMinor', 'price.currency']);

    const unknownCategory = await createServiceRequest(provider, { categoryId: 999_999 }).expect(422);
    expect(unknownCategory.body.errors).to.deep.equal([{ path: 'categoryId', message: 'no such category' }]);

    const service = await createService(provider);
    await provider.agent.patch(`/api/v1/services/${service.id}`).set('X-CSRF-Token', provider.csrf).send({}).expect(422);
    await provider.agent.patch(`/api/v1/services/${service.id}`).set('X-CSRF-Token', provider.csrf).send({ maxDaysAhead: 1000 }).expect(422);
    await request(app).get('/api/v1/services/999999').expect(404);
    await request(app).get('/api/v1/services/not-a-number').expect(404);
    await provider.agent.patch('/api/v1/services/999999').set('X-CSRF-Token', provider.csrf).send({ title: 'x' }).expect(404);
  });

  function createServiceRequest(session: Session, fields: Record<string, unknown>) {
    return session.agent
      .post('/api/v1/services')
      .set('X-CSRF-Token', session.csrf)
      .send({ title: 'Anything', durationMinutes: 30, price: { kind: 'fixed', amountMinor: 100, currency: 'EUR' }, ...fields });
  }

  describe('search', () => {
    let categories: { home: number; plumbing: number; garden: number };
    let searcher: Session;
    let ids: Record<string, number>;

    before(async () => {
      const db = testDb();
      const stamp = Date.now().toString(36);
      const [home] = await db('service_categories').insert({ name: 'Home', slug: `home-${stamp}` }).returning('id');
      const [plumbing] = await db('service_categories').insert({ name: 'Plumbing', slug: `plumbing-${stamp}`, parent_id: home.id }).returning('id');
      const [garden] = await db('service_categories').insert({ name: 'Garden', slug: `garden-${stamp}` }).returning('id');
      categories = { home: home.id, plumbing: plumbing.id, garden: garden.id };
      // A provider of their own, so the provider filter sees only these services.
      searcher = await signedInProvider(app);
      ids = {};
      const make = async (key: string, title: string, description: string, categoryId: number, amountMinor: number) => {
        ids[key] = (await createService(searcher, { title, description, categoryId, price: { kind: 'fixed', amountMinor, currency: 'EUR' } })).id;
      };
      await make('tap', 'Dripping tap fix', 'Washers and cartridges', categories.plumbing, 4000);
      await make('drain', 'Drain unblocking', 'Kitchen and bathroom drains', categories.plumbing, 9000);
      await make('hedge', 'Hedge trimming', 'Garden hedges up to two metres', categories.garden, 6000);
      await make('paint', 'Wall painting', 'One room, two coats', categories.home, 20000);
      await make('gone', 'Bathroom tap swap', 'Deactivated offer', categories.plumbing, 3000);
      await searcher.agent.delete(`/api/v1/services/${ids.gone}`).set('X-CSRF-Token', searcher.csrf).expect(204);
    });

    const search = async (query: Record<string, unknown>) => (await request(app).get('/api/v1/services').query({ providerId: searcher.user.id, ...query }).expect(200)).body;
    const idsOf = (body: { items: { id: number }[] }) => body.items.map((s) => s.id);

    it('finds services by words of their title or description, never deactivated ones', async () => {
      expect(idsOf(await search({ q: 'tap' }))).to.deep.equal([ids.tap]);
      expect(idsOf(await search({ q: 'drains' }))).to.deep.equal([ids.drain]);
      expect(idsOf(await search({ q: 'garden hedges' }))).to.deep.equal([ids.hedge]);
      expect((await search({ q: 'chimney' })).total).to.equal(0);
    });

    it('finds partial words, small typos and the names of categories and their parents', async () => {
      expect(idsOf(await search({ q: 'paint' }))).to.deep.equal([ids.paint]);
      expect(idsOf(await search({ q: 'paintng' }))).to.deep.equal([ids.paint]);
      expect(idsOf(await search({ q: 'kitchn drain' }))).to.deep.equal([ids.drain]);
      expect(idsOf(await search({ q: 'plumb' })).sort()).to.deep.equal([ids.tap, ids.drain].sort());
      expect(idsOf(await search({ q: 'Plumbing' })).sort()).to.deep.equal([ids.tap, ids.drain].sort());
      expect(idsOf(await search({ q: 'home' })).sort()).to.deep.equal([ids.tap, ids.drain, ids.paint].sort());
      expect(idsOf(await search({ q: 'plumbing hedge' }))).to.deep.equal([]);
      expect(idsOf(await search({ q: "o'brien & (tap:*" }))).to.deep.equal([]);
    });

    it('finds a provider’s services by the provider’s name, whole, in part or misspelt', async () => {
      const painter = await signedInProvider(app);
      await testDb()('users').where({ id: painter.user.id }).update({ name: 'Pat Painter' });
      const { id } = await createService(painter, { title: 'Ceiling refresh', description: 'Fresh white ceilings' });
      for (const q of ['painter', 'paint', 'paintr', 'pat painter']) {
        const found = await request(app).get('/api/v1/services').query({ q, providerId: painter.user.id }).expect(200);
        expect(idsOf(found.body), q).to.deep.equal([id]);
      }
    });

    it('filters by category (with its subcategories), price and provider', async () => {
      expect(idsOf(await search({ categoryId: categories.plumbing })).sort()).to.deep.equal([ids.tap, ids.drain].sort());
      expect(idsOf(await search({ categoryId: categories.home })).sort()).to.deep.equal([ids.tap, ids.drain, ids.paint].sort());
      expect(idsOf(await search({ minPrice: 5000, maxPrice: 10000 })).sort()).to.deep.equal([ids.drain, ids.hedge].sort());
      expect(idsOf(await search({ currency: 'USD' }))).to.deep.equal([]);
      const all = await request(app).get('/api/v1/services').query({ q: 'hedge trimming' }).expect(200);
      expect(idsOf(all.body)).to.include(ids.hedge);
    });

    it('pages through the results with a total', async () => {
      const first = await search({ pageSize: 3, page: 1 });
      const second = await search({ pageSize: 3, page: 2 });
      expect(first).to.include({ total: 4, page: 1, pageSize: 3 });
      expect(first.items).to.have.length(3);
      expect(second.items).to.have.length(1);
      expect([...idsOf(first), ...idsOf(second)].sort()).to.deep.equal([ids.tap, ids.drain, ids.hedge, ids.paint].sort());
    });

    it('rejects nonsense filters with 422', async () => {
      for (const query of [{ page: 0 }, { pageSize: 500 }, { minPrice: -1 }, { minPrice: 10, maxPrice: 5 }, { categoryId: 'abc' }, { currency: 'eur' }]) {
        await request(app).get('/api/v1/services').query(query).expect(422);
      }
    });

    it('lists the category tree', async () => {
      const tree: { id: number; name: string; children: { id: number }[] }[] = (await request(app).get('/api/v1/categories').expect(200)).body;
      const home = tree.find((c) => c.id === categories.home)!;
      expect(home.children.map((c) => c.id)).to.deep.equal([categories.plumbing]);
      expect(tree.some((c) => c.id === categories.plumbing)).to.equal(false);
    });
  });
});
