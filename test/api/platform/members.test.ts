import { expect } from 'chai';
import { addMember, auditActions, createOrg, signedInAs, platformApp, type PlatformApp, type Session } from './helpers.ts';

describe('organizations and members', () => {
  let app: PlatformApp['app'];
  before(() => ({ app } = platformApp()));

  async function team() {
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner, 'Ops');
    const admin = await signedInAs(app);
    const member = await signedInAs(app);
    await addMember(orgId, admin.user.id, 'admin');
    await addMember(orgId, member.user.id, 'member');
    return { owner, admin, member, orgId };
  }
  const patchRole = (as: Session, orgId: number, userId: number, role: string) =>
    as.agent.patch(`/api/v1/orgs/${orgId}/members/${userId}`).set('X-CSRF-Token', as.csrf).send({ role });
  const remove = (as: Session, orgId: number, userId: number) =>
    as.agent.delete(`/api/v1/orgs/${orgId}/members/${userId}`).set('X-CSRF-Token', as.csrf);

  it('makes the creator owner, lists the caller’s organizations and shows one with the caller’s role', async () => {
    const { owner, member, orgId } = await team();
    expect((await owner.agent.get('/api/v1/orgs').expect(200)).body).to.deep.equal([{ id: orgId, name: 'Ops', role: 'owner' }]);
    expect((await member.agent.get(`/api/v1/orgs/${orgId}`).expect(200)).body).to.deep.equal({ id: orgId, name: 'Ops', plan: 'free', role: 'member' });
    const members = (await member.agent.get(`/api/v1/orgs/${orgId}/members`).expect(200)).body;
    expect(members.map((m: { role: string }) => m.role)).to.deep.equal(['owner', 'admin', 'member']);
    expect(members[0]).to.have.keys(['userId', 'email', 'name', 'role', 'joinedAt']);
  });

  it('lets owners and admins rename the organization, not members', async () => {
    const { admin, member, orgId } = await team();
    await member.agent.patch(`/api/v1/orgs/${orgId}`).set('X-CSRF-Token', member.csrf).send({ name: 'Mine now' }).expect(403);
    const res = await admin.agent.patch(`/api/v1/orgs/${orgId}`).set('X-CSRF-Token', admin.csrf).send({ name: 'Renamed' }).expect(200);
    expect(res.body.name).to.equal('Renamed');
    await admin.agent.patch(`/api/v1/orgs/${orgId}`).set('X-CSRF-Token', admin.csrf).send({ name: '' }).expect(422);
  });

  it('lets the owner change any role, an admin only between admin and member, a member none', async () => {
    const { owner, admin, member, orgId } = await team();
    await patchRole(member, orgId, admin.user.id, 'member').expect(403);
    await patchRole(admin, orgId, member.user.id, 'owner').expect(403);
    await patchRole(admin, orgId, owner.user.id, 'member').expect(403);
    expect((await patchRole(admin, orgId, member.user.id, 'admin').expect(200)).body).to.include({ userId: member.user.id, role: 'admin' });
    await patchRole(owner, orgId, member.user.id, 'owner').expect(200);
    await patchRole(owner, orgId, member.user.id, 'chief').expect(422);
    expect(await auditActions({ organization_id: orgId, action: 'member.role_changed' })).to.have.length(2);
  });

  it('never leaves an organization without an owner', async () => {
    const { owner, admin, orgId } = await team();
    const demote = await patchRole(owner, orgId, owner.user.id, 'admin').expect(409);
    expect(demote.body.type).to.equal('https://pulseboard.dev/problems/last-owner');
    expect((await remove(owner, orgId, owner.user.id).expect(409)).body.type).to.equal('https://pulseboard.dev/problems/last-owner');
    await patchRole(owner, orgId, admin.user.id, 'owner').expect(200);
    await remove(owner, orgId, owner.user.id).expect(204);
    expect(await auditActions({ organization_id: orgId, action: 'member.left' })).to.have.length(1);
  });

  it('lets members leave, admins remove members, and members remove nobody else', async () => {
    const { owner, admin, member, orgId } = await team();
    await remove(member, orgId, admin.user.id).expect(403);
    await remove(admin, orgId, owner.user.id).expect(403);
    await remove(admin, orgId, member.user.id).expect(204);
    await member.agent.get(`/api/v1/orgs/${orgId}`).expect(404);
    await remove(admin, orgId, admin.user.id).expect(204);
    await remove(owner, orgId, 999999999).expect(404);
    expect(await auditActions({ organization_id: orgId, action: 'member.removed' })).to.have.length(1);
  });
});
