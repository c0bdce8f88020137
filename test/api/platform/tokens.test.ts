import { expect } from 'chai';
import request from 'supertest';
import { SignJWT } from 'jose';
import { appKeys } from '../../../api/auth/app-keys.ts';
import { testDb } from '../../support/app.ts';
import { auditActions, confirmationToken, createUser, freshIp, PASSWORD, platformApp, uniqueEmail, type PlatformApp } from './helpers.ts';

describe('token sign-in for API clients', () => {
  let app: PlatformApp['app'];
  let ctx: PlatformApp['ctx'];
  let sent: PlatformApp['sent'];
  before(() => ({ app, ctx, sent } = platformApp()));

  /** Signs up on a token route, opens the mailed link, and signs in for a token pair, as an API client does. */
  async function signUp(path: string) {
    const email = uniqueEmail(path);
    const password = 'long-enough-pw';
    const answer = await request(app).post(`/api/v1/auth/token/${path}`).set('X-Forwarded-For', freshIp()).send({ email, password, name: 'Client' }).expect(202);
    expect(answer.body.status).to.equal('check-email');
    await request(app).post('/api/v1/auth/confirm_sign_up').set('X-Forwarded-For', freshIp()).send({ token: confirmationToken(sent, email) }).expect(201);
    return request(app).post('/api/v1/auth/token/sign_in').set('X-Forwarded-For', freshIp()).send({ email, password }).expect(200);
  }

  it('signs up clients as customers and providers as providers, with a 15-minute access token', async () => {
    const client = await signUp('sign_up_client');
    expect(client.body.user.role).to.equal('customer');
    expect(client.body.expiresIn).to.equal(900);
    expect(client.body.refreshToken).to.match(/^rt_/);
    const provider = await signUp('sign_up_provider');
    expect(provider.body.user.role).to.equal('provider');
    const me = await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${provider.body.accessToken}`).expect(200);
    expect(me.body.user.id).to.equal(provider.body.user.id);
    expect(me.body.csrfToken).to.equal(null);
  });

  it('needs no CSRF token with a bearer token, and refuses a forged or expired one', async () => {
    const { body } = await signUp('sign_up_client');
    await request(app).post('/api/v1/orgs').set('Authorization', `Bearer ${body.accessToken}`).send({ name: 'By token' }).expect(201);
    await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${body.accessToken.slice(0, -2)}xx`).expect(401);
    const now = Math.floor(Date.now() / 1000);
    const expired = await signedToken(body.user.id, { iat: now - 1000, exp: now - 100 });
    await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${expired}`).expect(401);
  });

  it('refuses a correctly signed token that never expires, lives too long, or lacks iat, aud or iss', async () => {
    const user = await createUser('customer');
    const now = Math.floor(Date.now() / 1000);
    const me = (token: string) => request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    await me(await signedToken(user.id, { iat: now, exp: now + 600 })).expect(200);
    await me(await signedToken(user.id, { iat: now })).expect(401);
    await me(await signedToken(user.id, { iat: now, exp: now + 30 * 24 * 3600 })).expect(401);
    await me(await signedToken(user.id, { exp: now + 600 })).expect(401);
    await me(await signedToken(user.id, { iat: now, exp: now + 600, aud: null })).expect(401);
    await me(await signedToken(user.id, { iat: now, exp: now + 600, iss: null })).expect(401);
  });

  /** A token signed with the app's own key, with exactly the claims given (null leaves one out). */
  async function signedToken(userId: number, claims: { iat?: number; exp?: number; aud?: null; iss?: null }): Promise<string> {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(userId));
    if (claims.iss !== null) jwt.setIssuer('pulseboard');
    if (claims.aud !== null) jwt.setAudience('pulseboard-api');
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
    return jwt.sign((await appKeys(ctx)).accessToken);
  }

  it('signs in with email and password; a wrong password is 401', async () => {
    const user = await createUser('provider');
    const res = await request(app).post('/api/v1/auth/token/sign_in').set('X-Forwarded-For', freshIp()).send({ email: user.email, password: PASSWORD }).expect(200);
    expect(res.body.user.email).to.equal(user.email);
    expect(Object.keys(res.body)).to.have.members(['accessToken', 'refreshToken', 'expiresIn', 'user']);
    await request(app).post('/api/v1/auth/token/sign_in').send({ email: user.email, password: 'wrong-password' }).expect(401);
  });

  it('rotates the refresh token; showing a spent one revokes the whole family', async () => {
    const first = (await signUp('sign_up_client')).body;
    const second = (await request(app).post('/api/v1/auth/token/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.to.equal(first.refreshToken);
    await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${second.accessToken}`).expect(200);

    const reuse = await request(app).post('/api/v1/auth/token/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.type).to.equal('https://pulseboard.dev/problems/invalid-refresh-token');
    await request(app).post('/api/v1/auth/token/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    expect(await auditActions({ target_id: String(first.user.id) })).to.include('auth.refresh_token_reused');
  });

  it('revokes a refresh token, and stores refresh tokens only as hashes', async () => {
    const { refreshToken, user } = (await signUp('sign_up_client')).body;
    const stored = await testDb()('refresh_tokens').where({ user_id: user.id }).pluck('token_hash');
    expect(stored).to.have.length(1);
    expect(stored[0]).not.to.contain(refreshToken.slice(3));
    await request(app).post('/api/v1/auth/token/revoke').send({ refreshToken }).expect(204);
    await request(app).post('/api/v1/auth/token/refresh').send({ refreshToken }).expect(401);
    await request(app).post('/api/v1/auth/token/refresh').send({}).expect(422);
  });
});
