import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import { authenticateRequest } from '../../../api/auth/principal.ts';
import { canSubscribe } from '../../../api/auth/topic-access.ts';
import { createOrg, platformApp, signedInAs, type PlatformApp, type Session } from './helpers.ts';

/** What the WebSocket relay relies on: a raw Node request in, a principal out, and topic checks. */
describe('authenticateRequest and canSubscribe', () => {
  let app: PlatformApp['app'];
  let ctx: PlatformApp['ctx'];
  let member: Session;
  let orgId: number;
  let key: string;
  before(async () => {
    ({ app, ctx } = platformApp());
    member = await signedInAs(app);
    orgId = await createOrg(member);
    key = (await member.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', member.csrf).send({ name: 'relay' })).body.key;
  });

  const raw = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;
  const sessionCookie = async () => String((await member.agent.get('/api/v1/auth/me')).request.cookies);

  it('reads the session cookie and a bearer API key, ignores ?api_key=, and refuses a wrong credential', async () => {
    const bySession = await authenticateRequest(ctx, raw('/ws', { cookie: await sessionCookie() }));
    expect(bySession).to.deep.include({ kind: 'user', via: 'session' });
    expect(bySession?.kind === 'user' && bySession.user.id).to.equal(member.user.id);
    const byKey = await authenticateRequest(ctx, raw('/ws', { authorization: `Bearer ${key}` }));
    expect(byKey).to.deep.equal({ kind: 'api_key', organizationId: orgId, keyId: key.slice(8, 24) });
    expect(await authenticateRequest(ctx, raw(`/ws?api_key=${encodeURIComponent(key)}`))).to.equal(null);
    expect(await authenticateRequest(ctx, raw('/ws', { authorization: 'Bearer nonsense', cookie: await sessionCookie() }))).to.equal(null);
    expect(await authenticateRequest(ctx, raw('/ws', { cookie: 'pb_session=forged' }))).to.equal(null);
    expect(await authenticateRequest(ctx, raw('/ws'))).to.equal(null);
  });

  it('lets members and the org’s key watch its jobs, and a person only their own user topic', async () => {
    const person = (await authenticateRequest(ctx, raw('/ws', { cookie: await sessionCookie() })))!;
    const apiKey = (await authenticateRequest(ctx, raw('/ws', { authorization: `Bearer ${key}` })))!;
    const outsider = await signedInAs(app);
    const stranger = (await authenticateRequest(ctx, raw('/ws', { cookie: String((await outsider.agent.get('/api/v1/auth/me')).request.cookies) })))!;

    expect(await canSubscribe(ctx, person, `org:${orgId}:jobs`)).to.equal(true);
    expect(await canSubscribe(ctx, apiKey, `org:${orgId}:jobs`)).to.equal(true);
    expect(await canSubscribe(ctx, stranger, `org:${orgId}:jobs`)).to.equal(false);
    expect(await canSubscribe(ctx, person, `user:${member.user.id}`)).to.equal(true);
    expect(await canSubscribe(ctx, stranger, `user:${member.user.id}`)).to.equal(false);
    expect(await canSubscribe(ctx, apiKey, `user:${member.user.id}`)).to.equal(false);
    expect(await canSubscribe(ctx, person, 'store:1')).to.equal(false);
    expect(await canSubscribe(ctx, person, 'nonsense')).to.equal(false);
  });
});
