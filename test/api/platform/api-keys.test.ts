import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { addMember, auditActions, createOrg, signedInAs, platformApp, type PlatformApp } from './helpers.ts';

describe('organization API keys', () => {
  let app: PlatformApp['app'];
  before(() => ({ app } = platformApp()));

  async function orgWithKey() {
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner);
    const created = await owner.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', owner.csrf).send({ name: 'CI' }).expect(201);
    return { owner, orgId, created: created.body };
  }

  it('shows the key once as pk_live_<id>.<secret> and stores only a hash of the secret', async () => {
    const { owner, orgId, created } = await orgWithKey();
    expect(created.key).to.match(/^pk_live_[a-z0-9]{16}\.[\w-]{43}$/);
    expect(created).to.include({ name: 'CI', prefix: `pk_live_${created.id}`, lastUsedAt: null, revokedAt: null });
    const list = (await owner.agent.get(`/api/v1/orgs/${orgId}/api_keys`).expect(200)).body;
    expect(list).to.have.length(1);
    expect(list[0]).to.have.keys(['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt']);
    const row = await testDb()('api_keys').where({ id: created.id }).first();
    expect(JSON.stringify(row)).not.to.contain(created.key.split('.')[1]);
    expect(await auditActions({ organization_id: orgId, action: 'api_key.created' })).to.have.length(1);
  });

  it('authenticates as the organization by the Authorization header, and records last use', async () => {
    const { owner, orgId, created } = await orgWithKey();
    const res = await request(app).get(`/api/v1/orgs/${orgId}`).set('Authorization', `Bearer ${created.key}`).expect(200);
    expect(res.body).to.include({ id: orgId, role: null });
    const inQuery = await request(app).get(`/api/v1/orgs/${orgId}?api_key=${encodeURIComponent(created.key)}`).expect(400);
    expect(inQuery.type).to.equal('application/problem+json');
    expect(inQuery.body.detail).to.contain('Authorization: Bearer');
    const [key] = (await owner.agent.get(`/api/v1/orgs/${orgId}/api_keys`).expect(200)).body;
    expect(Date.now() - new Date(key.lastUsedAt).getTime()).to.be.below(60_000);
    // One character of the secret changed (never to itself, or the key would still be right).
    const tampered = created.key.slice(0, -1) + (created.key.endsWith('A') ? 'B' : 'A');
    await request(app).get(`/api/v1/orgs/${orgId}`).set('Authorization', `Bearer ${tampered}`).expect(401);
    // A key acts for an organization, not a person: person-only routes refuse it.
    await request(app).get(`/api/v1/orgs/${orgId}/members`).set('Authorization', `Bearer ${created.key}`).expect(403);
  });

  it('stops working once revoked', async () => {
    const { owner, orgId, created } = await orgWithKey();
    await owner.agent.delete(`/api/v1/orgs/${orgId}/api_keys/${created.id}`).set('X-CSRF-Token', owner.csrf).expect(204);
    await request(app).get(`/api/v1/orgs/${orgId}`).set('Authorization', `Bearer ${created.key}`).expect(401);
    const [key] = (await owner.agent.get(`/api/v1/orgs/${orgId}/api_keys`).expect(200)).body;
    expect(key.revokedAt).to.be.a('string');
    await owner.agent.delete(`/api/v1/orgs/${orgId}/api_keys/${created.id}`).set('X-CSRF-Token', owner.csrf).expect(404);
    expect(await auditActions({ organization_id: orgId, action: 'api_key.revoked' })).to.have.length(1);
  });

  it('is managed by owners and admins only', async () => {
    const { orgId } = await orgWithKey();
    const member = await signedInAs(app);
    await addMember(orgId, member.user.id, 'member');
    await member.agent.get(`/api/v1/orgs/${orgId}/api_keys`).expect(403);
    await member.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', member.csrf).send({ name: 'Mine' }).expect(403);
  });

  it('tells a key-only client, at GET /me, its organization, role and limits', async () => {
    const { orgId, created } = await orgWithKey();
    const me = (await request(app).get('/api/v1/me').set('Authorization', `Bearer ${created.key}`).expect(200)).body;
    expect(me).to.deep.include({ kind: 'api_key', apiKey: { id: created.id, name: 'CI' }, organization: { id: orgId, name: 'Test Org' }, role: 'member' });
    expect(me.plans.jobs).to.deep.include({ plan: 'free', jobs: 5 });
    expect(me.plans.stores).to.deep.include({ plan: 'basic', stores: 1 });
    // A person asking the same gets themselves and their organizations.
    const person = await signedInAs(app);
    const own = (await person.agent.get('/api/v1/me').expect(200)).body;
    expect(own).to.deep.include({ kind: 'user', organizations: [] });
    expect(own.user.email).to.equal(person.user.email);
    await request(app).get('/api/v1/me').expect(401);
  });

  it('answers a key that asks for what only a person may do with why, not with a role', async () => {
    const { orgId, created } = await orgWithKey();
    const res = await request(app).post(`/api/v1/orgs/${orgId}/job_settings/signing_secret/reveal`).set('Authorization', `Bearer ${created.key}`).expect(403);
    expect(res.body.detail).to.equal('API keys cannot do this: a person with the right role must sign in.');
  });
});
