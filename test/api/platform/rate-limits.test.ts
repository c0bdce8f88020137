import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { createRateLimiter } from '../../../api/auth/rate-limit.ts';
import { problemHandler } from '../../../api/http/problem.ts';
import { createLogger } from '../../../runtime/logger.ts';
import { createUser, freshIp, PASSWORD, platformApp, uniqueEmail, type PlatformApp } from './helpers.ts';

describe('rate limits', () => {
  let app: PlatformApp['app'];
  beforeEach(() => ({ app } = platformApp()));

  const signIn = (ip: string, email: string, password: string) =>
    request(app).post('/api/v1/auth/sign_in').set('X-Forwarded-For', ip).send({ email, password });

  it('stops guessing one account from one address after 5 failures, with Retry-After', async () => {
    const user = await createUser();
    const attacker = freshIp();
    for (let i = 0; i < 5; i += 1) await signIn(attacker, user.email, `guess-${i}-wrong`).expect(401);
    const blocked = await signIn(attacker, user.email, PASSWORD).expect(429);
    expect(Number(blocked.headers['retry-after'])).to.be.within(1, 900);
    expect(blocked.body.type).to.equal('https://pulseboard.dev/problems/rate-limited');
    // A person reads the wait in minutes, once: the page shows the detail and does not repeat it.
    expect(blocked.body.detail).to.match(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
  });

  it('does not lock the owner out: their own address still signs in while an attacker is blocked', async () => {
    const user = await createUser();
    const attacker = freshIp();
    for (let i = 0; i < 6; i += 1) await signIn(attacker, user.email, `guess-${i}-wrong`);
    await signIn(attacker, user.email, PASSWORD).expect(429);
    await signIn(freshIp(), user.email, PASSWORD).expect(200);
  });

  it('does not count successful sign-ins against the account', async () => {
    const user = await createUser();
    const ip = freshIp();
    for (let i = 0; i < 7; i += 1) await signIn(ip, user.email, PASSWORD).expect(200);
  });

  it('limits one address to 30 sign-in attempts in 15 minutes across accounts, token route included', async () => {
    const ip = freshIp();
    for (let i = 0; i < 15; i += 1) await signIn(ip, uniqueEmail('spray'), 'wrong-password').expect(401);
    for (let i = 0; i < 15; i += 1) {
      await request(app).post('/api/v1/auth/token/sign_in').set('X-Forwarded-For', ip).send({ email: uniqueEmail('spray'), password: 'wrong-password' }).expect(401);
    }
    const blocked = await signIn(ip, uniqueEmail('spray'), 'wrong-password').expect(429);
    expect(blocked.headers['retry-after']).to.match(/^\d+$/);
  });

  it('limits sign-ups per address', async () => {
    const ip = freshIp();
    const signUp = () => request(app).post('/api/v1/auth/sign_up').set('X-Forwarded-For', ip).send({ email: uniqueEmail('bulk'), password: 'long-enough-pw', name: 'Bulk' });
    for (let i = 0; i < 10; i += 1) await signUp().expect(202);
    const blocked = await signUp().expect(429);
    expect(blocked.headers['retry-after']).to.match(/^\d+$/);
  });

  it('makes limiters for other routes (e.g. booking holds) keyed as the caller chooses', async () => {
    const hold = express();
    hold.use(createRateLimiter({ name: 'booking hold', windowMs: 60_000, limit: 2, key: (req) => String(req.headers['x-user']) }));
    hold.post('/hold', (_req, res) => void res.status(201).end());
    hold.use(problemHandler(createLogger('silent')));
    await request(hold).post('/hold').set('X-User', 'a').expect(201);
    await request(hold).post('/hold').set('X-User', 'a').expect(201);
    const blocked = await request(hold).post('/hold').set('X-User', 'a').expect(429);
    expect(blocked.headers['retry-after']).to.equal('60');
    expect(blocked.body.detail).to.equal('Too many booking hold attempts. Try again in 60 seconds.');
    await request(hold).post('/hold').set('X-User', 'b').expect(201);
  });
});
