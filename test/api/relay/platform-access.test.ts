import { expect } from 'chai';
import { startApi, type RunningApi } from '../../../api/server.ts';
import { randomToken, sha256 } from '../../../api/auth/secrets.ts';
import { insertSession } from '../../../db/repositories/sessions.ts';
import { insertUser } from '../../../db/repositories/users.ts';
import { insertOrganizationWithOwner } from '../../../db/repositories/organizations.ts';
import { testContext, testDb } from '../../support/app.ts';
import { publishCommitted, TestSocket } from './support.ts';

/** The relay as `npm run api` serves it: identity's session cookie and topic policy, end to end. */
describe('relay: through the platform identity', () => {
  let api: RunningApi;
  let url: string;

  before(async () => {
    api = await startApi(testContext(), 0, '127.0.0.1');
    url = `${api.url.replace('http', 'ws')}/ws`;
  });
  after(() => api.close());

  async function signedIn(name: string): Promise<{ id: number; cookie: string }> {
    const user = await insertUser(testDb(), { email: `${name.toLowerCase()}-${Date.now()}@example.test`, name, role: 'customer', passwordHash: 'unused' });
    const sessionId = randomToken(32);
    await insertSession(testDb(), { idHash: sha256(sessionId), userId: user!.id, expiresAt: new Date(Date.now() + 60_000) });
    return { id: user!.id, cookie: `pb_session=${sessionId}` };
  }

  it('lets a signed-in person follow their own topic and no one else’s', async () => {
    const dana = await signedIn('Dana');
    const erin = await signedIn('Erin');
    const socket = await TestSocket.open(url, null, { headers: { cookie: dana.cookie } });
    try {
      socket.send({ type: 'subscribe', topic: `user:${erin.id}` });
      expect(await socket.next({ type: 'error' })).to.include({ code: 'forbidden', topic: `user:${erin.id}` });
      await socket.subscribe(`user:${dana.id}`);
      const seq = await publishCommitted(`user:${dana.id}`, 'notification.created', { text: 'hello' });
      expect(await socket.next({ type: 'event' })).to.deep.equal({ type: 'event', topic: `user:${dana.id}`, seq, event: 'notification.created', data: { text: 'hello' } });
    } finally {
      socket.close();
    }
  });

  it('lets an organization’s members follow its team topic, and refuses everyone else', async () => {
    const owner = await signedIn('Olga');
    const outsider = await signedIn('Oscar');
    const org = await insertOrganizationWithOwner(testDb(), `Team ${Date.now()}`, owner.id);
    const topic = `org:${org.id}:team`;
    const member = await TestSocket.open(url, null, { headers: { cookie: owner.cookie } });
    const stranger = await TestSocket.open(url, null, { headers: { cookie: outsider.cookie } });
    try {
      stranger.send({ type: 'subscribe', topic });
      expect(await stranger.next({ type: 'error' })).to.include({ code: 'forbidden', topic });
      await member.subscribe(topic);
      const seq = await publishCommitted(topic, 'member.removed', { userId: 5 });
      expect(await member.next({ type: 'event' })).to.deep.equal({ type: 'event', topic, seq, event: 'member.removed', data: { userId: 5 } });
    } finally {
      member.close();
      stranger.close();
    }
  });

  it('refuses an unknown session cookie with 401', async () => {
    const refused = await TestSocket.open(url, null, { headers: { cookie: 'pb_session=forged' } }).then(
      () => null,
      (error: Error) => error,
    );
    expect(refused?.message).to.contain('401');
  });
});
