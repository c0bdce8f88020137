import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { auditActions, confirmationToken, createUser, freshIp, PASSWORD, platformApp, signIn, uniqueEmail, type PlatformApp } from './helpers.ts';

describe('browser sign-up, sign-in and sessions', () => {
  let app: PlatformApp['app'];
  let sent: PlatformApp['sent'];
  before(() => ({ app, sent } = platformApp()));

  it('signs up a customer from the mailed link, with a session cookie (httpOnly, SameSite), storing only a scrypt hash', async () => {
    const email = uniqueEmail('signup');
    const res = await request(app).post('/api/v1/auth/sign_up').send({ email: email.toUpperCase(), password: 'long-enough-pw', name: 'Ada' }).expect(202);
    expect(res.body.status).to.equal('check-email');
    expect(res.headers['set-cookie']).to.equal(undefined);
    expect(await testDb()('users').where({ email }).first()).to.equal(undefined);

    const token = confirmationToken(sent, email);
    const confirmed = await request(app).post('/api/v1/auth/confirm_sign_up').send({ token }).expect(201);
    expect(confirmed.body.user).to.include({ email, name: 'Ada', role: 'customer', disabled: false });
    const cookies = String(confirmed.headers['set-cookie']);
    expect(cookies).to.match(/pb_session=[^;]+;.*HttpOnly/i).and.match(/SameSite=Lax/i);
    expect(cookies).to.match(/pb_csrf=[^;]+/);
    const row = await testDb()('users').where({ email }).first();
    expect(row.password_hash).to.match(/^scrypt\$16384\$8\$1\$/).and.not.contain('long-enough-pw');
    expect(await testDb()('pending_sign_ups').where({ email }).first()).to.equal(undefined);
    const spent = await request(app).post('/api/v1/auth/confirm_sign_up').send({ token }).expect(410);
    expect(spent.type).to.equal('application/problem+json');
  });

  it('answers a taken email (whatever its case) exactly as a new one, and mails its owner instead', async () => {
    const user = await createUser();
    const signUp = (email: string) => request(app).post('/api/v1/auth/sign_up').set('X-Forwarded-For', freshIp()).send({ email, password: 'long-enough-pw', name: 'X' });
    const taken = await signUp(user.email.toUpperCase()).expect(202);
    const fresh = await signUp(uniqueEmail('fresh')).expect(202);
    expect(taken.body).to.deep.equal(fresh.body);
    const notice = sent.filter((mail) => mail.to === user.email);
    expect(notice).to.have.length(1);
    expect(notice[0].text).to.contain('already has one').and.contain('/sign-in').and.not.contain('/confirm-sign-up/');
    expect(await testDb()('pending_sign_ups').where({ email: user.email }).first()).to.equal(undefined);
  });

  it('refuses a short password with 422 naming the field, and a next page on another site', async () => {
    const short = await request(app).post('/api/v1/auth/sign_up').send({ email: uniqueEmail(), password: 'short', name: 'X' }).expect(422);
    expect(short.body.errors).to.deep.include({ path: 'password', message: 'must be at least 10 characters' });
    const away = await request(app).post('/api/v1/auth/sign_up').send({ email: uniqueEmail(), password: 'long-enough-pw', name: 'X', next: '//evil.test/' }).expect(422);
    expect(away.body.errors[0].path).to.equal('next');
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
