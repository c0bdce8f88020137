import { expect } from 'chai';
import request from 'supertest';
import { auditActions, createUser, freshIp, PASSWORD, platformApp, signIn, signedInAs, type PlatformApp, type Session } from './helpers.ts';

describe('admin: users, audit log and categories', () => {
  let app: PlatformApp['app'];
  let admin: Session;
  before(async () => {
    ({ app } = platformApp());
    admin = await signedInAs(app, 'admin');
  });
  const patchUser = (id: number, body: object) => admin.agent.patch(`/api/v1/admin/users/${id}`).set('X-CSRF-Token', admin.csrf).send(body);

  it('is closed to everyone but admins', async () => {
    const provider = await signedInAs(app, 'provider');
    for (const path of ['/api/v1/admin/users', '/api/v1/admin/audit', '/api/v1/admin/categories']) {
      await provider.agent.get(path).expect(403);
      await request(app).get(path).expect(401);
    }
  });

  it('lists and searches users by text and role, paged with a total', async () => {
    const provider = await createUser('provider', 'searchable-provider');
    const byText = (await admin.agent.get('/api/v1/admin/users').query({ q: 'searchable-provider' }).expect(200)).body;
    expect(byText.items.map((u: { id: number }) => u.id)).to.deep.equal([provider.id]);
    expect(byText.total).to.equal(1);
    expect(byText.items[0]).not.to.have.property('password_hash');
    const providers = (await admin.agent.get('/api/v1/admin/users').query({ role: 'provider', pageSize: 1 }).expect(200)).body;
    expect(providers.items).to.have.length(1);
    expect(providers.total).to.be.at.least(1);
    await admin.agent.get('/api/v1/admin/users').query({ role: 'wizard' }).expect(422);
    await admin.agent.get('/api/v1/admin/users').query({ q: '%_\\' }).expect(200);
  });

  it('disables a user: their session ends at once and they cannot sign in again; audited', async () => {
    const victim = await signIn(app, await createUser());
    const res = await patchUser(victim.user.id, { disabled: true }).expect(200);
    expect(res.body.disabled).to.equal(true);
    await victim.agent.get('/api/v1/auth/me').expect(401);
    await request(app).post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: victim.user.email, password: PASSWORD }).expect(403);
    await patchUser(victim.user.id, { disabled: false }).expect(200);
    expect(await auditActions({ target_id: String(victim.user.id), actor_id: admin.user.id })).to.deep.equal(['user.disabled', 'user.enabled']);
  });

  it('changes roles, but not the admin’s own; unknown users are 404', async () => {
    const customer = await createUser();
    expect((await patchUser(customer.id, { role: 'provider' }).expect(200)).body.role).to.equal('provider');
    expect(await auditActions({ target_id: String(customer.id), action: 'user.role_changed' })).to.have.length(1);
    expect((await patchUser(admin.user.id, { disabled: true }).expect(409)).body.type).to.equal('https://pulseboard.dev/problems/own-account');
    await patchUser(admin.user.id, { role: 'customer' }).expect(409);
    await patchUser(999999999, { role: 'provider' }).expect(404);
    await patchUser(customer.id, {}).expect(422);
  });

  it('reads the audit log filtered by action, actor and time', async () => {
    const user = await createUser();
    await request(app).post('/api/v1/auth/sign_in').send({ email: user.email, password: 'wrong-password' }).expect(401);
    const failed = (await admin.agent.get('/api/v1/admin/audit').query({ action: 'auth.sign_in_failed' }).expect(200)).body;
    expect(failed.items.every((e: { action: string }) => e.action === 'auth.sign_in_failed')).to.equal(true);
    expect(failed.items.map((e: { actorEmail: string }) => e.actorEmail)).to.include(user.email);
    expect(failed.items[0]).to.have.keys(['id', 'at', 'actorId', 'actorEmail', 'action', 'targetType', 'targetId', 'ip', 'details']);
    const mine = (await admin.agent.get('/api/v1/admin/audit').query({ actorId: admin.user.id }).expect(200)).body;
    expect(mine.items.every((e: { actorId: number }) => e.actorId === admin.user.id)).to.equal(true);
    const future = (await admin.agent.get('/api/v1/admin/audit').query({ since: new Date(Date.now() + 60_000).toISOString() }).expect(200)).body;
    expect(future).to.deep.equal({ items: [], total: 0 });
    await admin.agent.get('/api/v1/admin/audit').query({ since: 'yesterday' }).expect(422);
  });

  it('manages the category tree: slugs, parents, no loops, no orphaned children', async () => {
    const post = (body: object) => admin.agent.post('/api/v1/admin/categories').set('X-CSRF-Token', admin.csrf).send(body);
    const home = (await post({ name: 'Home Cleaning & Repairs' }).expect(201)).body;
    expect(home).to.deep.include({ name: 'Home Cleaning & Repairs', slug: 'home-cleaning-repairs', parentId: null });
    const windows = (await post({ name: 'Windows', parentId: home.id }).expect(201)).body;
    await post({ name: 'Home cleaning repairs' }).expect(409);
    await post({ name: 'Orphan', parentId: 999999999 }).expect(422);
    const patch = (id: number, body: object) => admin.agent.patch(`/api/v1/admin/categories/${id}`).set('X-CSRF-Token', admin.csrf).send(body);
    await patch(home.id, { parentId: windows.id }).expect(422);
    expect((await patch(windows.id, { name: 'Window cleaning' }).expect(200)).body.name).to.equal('Window cleaning');
    const list = (await admin.agent.get('/api/v1/admin/categories').expect(200)).body;
    expect(list).to.deep.include({ id: windows.id, name: 'Window cleaning', slug: 'windows', parentId: home.id });
    const del = (id: number) => admin.agent.delete(`/api/v1/admin/categories/${id}`).set('X-CSRF-Token', admin.csrf);
    await del(home.id).expect(409);
    await del(windows.id).expect(204);
    await del(home.id).expect(204);
    expect(await auditActions({ actor_id: admin.user.id, target_type: 'category' })).to.deep.equal([
      'category.created',
      'category.created',
      'category.updated',
      'category.deleted',
      'category.deleted',
    ]);
  });
});
