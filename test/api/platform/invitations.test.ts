import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../../api/app.ts';
import { testContext, testDb } from '../../support/app.ts';
import { auditActions, createOrg, createUser, platformApp, signIn, signedInAs, type PlatformApp, type Session } from './helpers.ts';

describe('invitations by email link', () => {
  let app: PlatformApp['app'];
  let sent: PlatformApp['sent'];
  before(() => ({ app, sent } = platformApp()));

  async function invite(owner: Session, orgId: number, email: string, role = 'member') {
    const res = await owner.agent.post(`/api/v1/orgs/${orgId}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email, role }).expect(201);
    const mail = sent.find((m) => m.to === email.toLowerCase())!;
    const token = /\/invitations\/([\w-]+)/.exec(mail.text)![1];
    return { id: res.body.id as number, token, body: res.body };
  }

  it('emails a link that the invited person accepts once, joining with the given role', async () => {
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner, 'Acme');
    const invitee = await createUser();
    const { token, body } = await invite(owner, orgId, invitee.email.toUpperCase(), 'admin');
    expect(body).to.include({ email: invitee.email, role: 'admin' });
    expect(new Date(body.expiresAt).getTime() - Date.now()).to.be.closeTo(7 * 86_400_000, 60_000);
    expect((await owner.agent.get(`/api/v1/orgs/${orgId}/invitations`).expect(200)).body.map((i: { id: number }) => i.id)).to.deep.equal([body.id]);

    const info = await request(app).get(`/api/v1/invitations/${token}`).expect(200);
    expect(info.body).to.deep.equal({ organization: { name: 'Acme' }, email: invitee.email, role: 'admin', expiresAt: body.expiresAt });

    const session = await signIn(app, invitee);
    const accepted = await session.agent.post(`/api/v1/invitations/${token}/accept`).set('X-CSRF-Token', session.csrf).expect(200);
    expect(accepted.body).to.deep.equal({ organizationId: orgId });
    expect((await session.agent.get(`/api/v1/orgs/${orgId}`).expect(200)).body.role).to.equal('admin');
    const again = await session.agent.post(`/api/v1/invitations/${token}/accept`).set('X-CSRF-Token', session.csrf).expect(410);
    expect(again.body.type).to.equal('https://pulseboard.dev/problems/invitation-gone');
    await request(app).get(`/api/v1/invitations/${token}`).expect(410);
    expect((await owner.agent.get(`/api/v1/orgs/${orgId}/invitations`).expect(200)).body).to.deep.equal([]);
    expect(await auditActions({ organization_id: orgId, action: 'invitation.accepted' })).to.have.length(1);
  });

  it('answers 503 and keeps no invitation when its email cannot be sent', async () => {
    const down = createApp(testContext({ mailer: { send: async () => Promise.reject(new Error('connect ECONNREFUSED smtp')) } }));
    const owner = await signIn(down, await createUser());
    const orgId = await createOrg(owner);
    const res = await owner.agent.post(`/api/v1/orgs/${orgId}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: 'nobody-yet@example.test', role: 'member' }).expect(503);
    expect(res.body.detail).to.match(/could not be sent/);
    expect(JSON.stringify(res.body)).not.to.contain('ECONNREFUSED');
    expect((await owner.agent.get(`/api/v1/orgs/${orgId}/invitations`).expect(200)).body).to.deep.equal([]);
  });

  it('answers 410 for an expired invitation', async () => {
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner);
    const invitee = await createUser();
    const { id, token } = await invite(owner, orgId, invitee.email);
    await testDb()('invitations').where({ id }).update({ expires_at: new Date(Date.now() - 1000) });
    await request(app).get(`/api/v1/invitations/${token}`).expect(410);
    const session = await signIn(app, invitee);
    await session.agent.post(`/api/v1/invitations/${token}/accept`).set('X-CSRF-Token', session.csrf).expect(410);
  });

  it('is only for the address it was sent to, and needs a signed-in person', async () => {
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner);
    const { token } = await invite(owner, orgId, (await createUser()).email);
    await request(app).post(`/api/v1/invitations/${token}/accept`).expect(401);
    const stranger = await signedInAs(app);
    await stranger.agent.post(`/api/v1/invitations/${token}/accept`).set('X-CSRF-Token', stranger.csrf).expect(403);
    await stranger.agent.get(`/api/v1/orgs/${orgId}`).expect(404);
  });

  it('can be revoked, refuses members and bad input, and keeps only the token hash', async () => {
    const owner = await signedInAs(app);
    const orgId = await createOrg(owner);
    const { id, token } = await invite(owner, orgId, (await createUser()).email);
    expect(await testDb()('invitations').where({ id }).first()).not.to.have.property('token');
    await owner.agent.delete(`/api/v1/orgs/${orgId}/invitations/${id}`).set('X-CSRF-Token', owner.csrf).expect(204);
    await request(app).get(`/api/v1/invitations/${token}`).expect(404);
    await owner.agent.post(`/api/v1/orgs/${orgId}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: owner.user.email, role: 'member' }).expect(409);
    await owner.agent.post(`/api/v1/orgs/${orgId}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: 'x@y.test', role: 'owner' }).expect(422);
    await owner.agent.post(`/api/v1/orgs/${orgId}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: 'not-an-email', role: 'member' }).expect(422);
  });
});
