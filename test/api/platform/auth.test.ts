import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { auditActions, createUser, freshIp, PASSWORD, platformApp, signIn, uniqueEmail, type PlatformApp } from './helpers.ts';

describe('browser sign-up, sign-in and sessions', () => {
  let app: PlatformApp['app'];
  before(() => ({ app } = platformApp()));

  it('signs up a customer with a session cookie (httpOnly, SameSite) and stores only a scrypt hash', async () => {
    const email = uniqueEmail('signup');
    const res = await request(app).post('/api/v1/auth/sign_up').send({ email: email.toUpperCase(), password: 'long-enough-pw', name: 'Ada' }).expect(201);
    expect(res.body.user).to.include({ email, name: 'Ada', role: 'customer', disabled: false });
    const cookies = String(res.headers['set-cookie']);
    expect(cookies).to.match(/pb_session=[^;]+;.*HttpOnly/i).and.match(/SameSite=Lax/i);
    expect(cookies).to.match(/pb_csrf=[^;]+/);
    const row = await testDb()('users').where({ email }).first();
    expect(row.password_hash).to.match(/^scrypt\$16384\$8\$1\$/).and.not.contain('long-enough-pw');
  });

  it('refuses a taken email (whatever its case) with 409, and a short password with 422 naming the field', async () => {
    const user = await createUser();
    const taken = await request(app).post('/api/v1/auth/sign_up').send({ email: user.email.toUpperCase(), password: 'long-enough-pw', name: 'X' }).expect(409);
    expect(taken.body.type).to.equal('https://pulseboard.dev/problems/conflict');
    const short = await request(app).post('/api/v1/auth/sign_up').send({ email: uniqueEmail(), password: 'short', name: 'X' }).expect(422);
    expect(short.body.errors).to.deep.include({ path: 'password', message: 'must be at least 10 characters' });
  });

  it('answers a wrong password and an unknown email alike, 401 invalid-credentials, and audits both', async () => {
    const user = await createUser();
    const wrong = await request(app).post('/api/v1/auth/sign_in').send({ email: user.email, password: 'not-the-password' }).expect(401);
    const unknown = await request(app).post('/api/v1/auth/sign_in').send({ email: uniqueEmail('nobody'), password: 'not-the-password' }).expect(401);
    expect(wrong.body.type).to.equal('https://pulseboard.dev/problems/invalid-credentials');
    expect(unknown.body.detail).to.equal(wrong.body.detail);
    expect(await auditActions({ actor_email: user.email })).to.deep.equal(['auth.sign_in_failed']);
  });

  it('tells who is signed in, with organizations and the CSRF token; 401 when signed out', async () => {
    const session = await signIn(app, await createUser());
    const me = await session.agent.get('/api/v1/auth/me').expect(200);
    expect(me.body.user.email).to.equal(session.user.email);
    expect(me.body.organizations).to.deep.equal([]);
    expect(me.body.csrfToken).to.equal(session.csrf);
    expect(await auditActions({ actor_id: session.user.id })).to.include('auth.sign_in');
    await request(app).get('/api/v1/auth/me').expect(401);
  });

  it('refuses a state-changing request by session without the right X-CSRF-Token', async () => {
    const session = await signIn(app, await createUser());
    const missing = await session.agent.post('/api/v1/orgs').send({ name: 'No token' }).expect(403);
    expect(missing.body.type).to.equal('https://pulseboard.dev/problems/csrf');
    await session.agent.post('/api/v1/orgs').set('X-CSRF-Token', 'forged').send({ name: 'Forged' }).expect(403);
    const other = await signIn(app, await createUser());
    await session.agent.post('/api/v1/orgs').set('X-CSRF-Token', other.csrf).send({ name: 'Someone else’s token' }).expect(403);
    await session.agent.post('/api/v1/orgs').set('X-CSRF-Token', session.csrf).send({ name: 'Right token' }).expect(201);
  });

  it('signs out: cookies cleared, the old session cookie no longer works', async () => {
    const session = await signIn(app, await createUser());
    const me = await session.agent.get('/api/v1/auth/me').expect(200);
    const cookie = String(me.request.cookies);
    const out = await session.agent.post('/api/v1/auth/sign_out').set('X-CSRF-Token', session.csrf).expect(204);
    expect(String(out.headers['set-cookie'])).to.match(/pb_session=;/);
    await request(app).get('/api/v1/auth/me').set('Cookie', cookie).expect(401);
    expect(await auditActions({ actor_id: session.user.id })).to.include('auth.sign_out');
  });

  it('keeps a disabled person out, telling them only once the password was right', async () => {
    const user = await createUser();
    await testDb()('users').where({ id: user.id }).update({ disabled_at: new Date() });
    const res = await request(app).post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: user.email, password: PASSWORD }).expect(403);
    expect(res.body.type).to.equal('https://pulseboard.dev/problems/account-disabled');
    await request(app).post('/api/v1/auth/sign_in').send({ email: user.email, password: 'wrong-password' }).expect(401);
  });
});
