import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { addMember, createOrg, createUser, platformApp, signedInAs, type PlatformApp, type Session } from './helpers.ts';

/**
 * Every organization route, walked by a signed-in member of another organization and by another
 * organization's API key: each answers 404, as if the organization did not exist. The list is
 * checked against docs/platform-api.md, so a route added to the contract must be added here.
 */
describe('an outsider sees nothing of another organization', () => {
  let app: PlatformApp['app'];
  let outsider: Session;
  let outsiderKey: string;
  let orgId: number;
  const ids: Record<string, string> = {};

  before(async () => {
    ({ app } = platformApp());
    const owner = await signedInAs(app);
    orgId = await createOrg(owner, 'Private');
    const member = await createUser();
    await addMember(orgId, member.id, 'member');
    ids.userId = String(member.id);
    const invite = await owner.agent.post(`/api/v1/orgs/${orgId}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: 'someone@example.test', role: 'member' });
    ids.id = String(invite.body.id);
    const key = await owner.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', owner.csrf).send({ name: 'Private key' });
    ids.keyId = key.body.id;

    outsider = await signedInAs(app);
    const ownOrg = await createOrg(outsider, 'Elsewhere');
    outsiderKey = (await outsider.agent.post(`/api/v1/orgs/${ownOrg}/api_keys`).set('X-CSRF-Token', outsider.csrf).send({ name: 'Mine' })).body.key;
  });

  const ROUTES: [string, string, object?][] = [
    ['GET', '/api/v1/orgs/:orgId'],
    ['PATCH', '/api/v1/orgs/:orgId', { name: 'Taken over' }],
    ['GET', '/api/v1/orgs/:orgId/members'],
    ['PATCH', '/api/v1/orgs/:orgId/members/:userId', { role: 'owner' }],
    ['DELETE', '/api/v1/orgs/:orgId/members/:userId'],
    ['GET', '/api/v1/orgs/:orgId/invitations'],
    ['POST', '/api/v1/orgs/:orgId/invitations', { email: 'spy@example.test', role: 'admin' }],
    ['DELETE', '/api/v1/orgs/:orgId/invitations/:id'],
    ['GET', '/api/v1/orgs/:orgId/api_keys'],
    ['POST', '/api/v1/orgs/:orgId/api_keys', { name: 'Backdoor' }],
    ['DELETE', '/api/v1/orgs/:orgId/api_keys/:keyId'],
  ];

  it('covers every organization route of the API contract', async () => {
    const doc = await readFile(new URL('../../../docs/platform-api.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| (GET|POST|PATCH|DELETE) \| (\/api\/v1\/orgs\/:orgId\S*) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(documented.length).to.be.greaterThan(5);
    expect(ROUTES.map(([method, path]) => `${method} ${path}`)).to.have.members(documented);
  });

  const fill = (path: string) => path.replace(':orgId', String(orgId)).replace(/:(\w+)/g, (_, name: string) => ids[name]);

  it('answers 404 to a signed-in member of another organization on every route', async () => {
    for (const [method, path, body] of ROUTES) {
      const res = await outsider.agent[method.toLowerCase() as 'get'](fill(path)).set('X-CSRF-Token', outsider.csrf).send(body);
      expect(res.status, `${method} ${path}`).to.equal(404);
      expect(res.body.detail, `${method} ${path}`).to.equal('No such organization.');
    }
    expect((await outsider.agent.get('/api/v1/orgs').expect(200)).body.map((o: { id: number }) => o.id)).not.to.include(orgId);
  });

  it('answers 404 to another organization’s API key on every route', async () => {
    for (const [method, path, body] of ROUTES) {
      const res = await request(app)[method.toLowerCase() as 'get'](fill(path)).set('Authorization', `Bearer ${outsiderKey}`).send(body);
      expect(res.status, `${method} ${path}`).to.equal(404);
    }
  });

  it('answers 404 for an organization that does not exist, exactly as for one that does', async () => {
    const missing = await outsider.agent.get('/api/v1/orgs/999999999').expect(404);
    const hidden = await outsider.agent.get(`/api/v1/orgs/${orgId}`).expect(404);
    expect({ ...missing.body, instance: null }).to.deep.equal({ ...hidden.body, instance: null });
    await outsider.agent.get('/api/v1/orgs/not-a-number').expect(404);
  });

  it('left everything as it was', async () => {
    const owner = await signedInAs(app);
    await addMember(orgId, owner.user.id, 'owner');
    const org = (await owner.agent.get(`/api/v1/orgs/${orgId}`).expect(200)).body;
    expect(org.name).to.equal('Private');
    const members = (await owner.agent.get(`/api/v1/orgs/${orgId}/members`).expect(200)).body;
    expect(members.map((m: { role: string }) => m.role).sort()).to.deep.equal(['member', 'owner', 'owner']);
    expect((await owner.agent.get(`/api/v1/orgs/${orgId}/invitations`).expect(200)).body).to.have.length(1);
    const keys = (await owner.agent.get(`/api/v1/orgs/${orgId}/api_keys`).expect(200)).body;
    expect(keys.map((k: { name: string; revokedAt: string | null }) => [k.name, k.revokedAt])).to.deep.equal([['Private key', null]]);
  });
});
