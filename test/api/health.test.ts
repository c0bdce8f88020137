import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../api/app.ts';
import { testContext } from '../support/app.ts';
import { createDb } from '../../db/connection.ts';
import type { TemporalGateway } from '../../api/temporal.ts';
import { platformApp, signedInAs } from './platform/helpers.ts';

describe('GET /health', () => {
  it('reports the database as ok and Temporal as not configured', async () => {
    const res = await request(createApp(testContext())).get('/health').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok', database: 'ok', temporal: 'not configured' });
  });

  it('answers 503 when the database cannot be reached', async () => {
    const unreachable = createDb('postgres://nobody:wrong@127.0.0.1:1/none', 1);
    try {
      const res = await request(createApp(testContext({ db: unreachable }))).get('/health').expect(503);
      expect(res.body).to.include({ status: 'degraded', database: 'down' });
    } finally {
      await unreachable.destroy();
    }
  });

  it('answers 503 when Temporal is configured but does not answer', async () => {
    const silent = { reachable: () => false } as unknown as TemporalGateway;
    const res = await request(createApp(testContext({ temporal: silent }))).get('/health').expect(503);
    expect(res.body).to.include({ status: 'degraded', database: 'ok', temporal: 'down' });
  });
});

describe('Problem Details', () => {
  it('answers 503 unavailable with Retry-After, not a bare 500, while the database cannot be reached', async () => {
    const unreachable = createDb('postgres://nobody:wrong@127.0.0.1:1/none', 1); // nothing listens on port 1
    try {
      const app = createApp(testContext({ db: unreachable }));
      for (const res of [await request(app).get('/api/v1/services'), await request(app).get('/api/v1/auth/me').set('Cookie', 'pb_session=abc')]) {
        expect(res.status).to.equal(503);
        expect(res.type).to.equal('application/problem+json');
        expect(res.body).to.include({ type: 'https://pulseboard.dev/problems/unavailable', status: 503 });
        expect(res.body.detail).to.contain('database');
        expect(Number(res.headers['retry-after'])).to.be.above(0);
      }
    } finally {
      await unreachable.destroy();
    }
  });

  it('answers 503 unavailable with Retry-After on a route that needs Temporal when there is none', async () => {
    const { app } = platformApp();
    const admin = await signedInAs(app, 'admin');
    const res = await admin.agent.get('/api/v1/admin/workflows').expect(503);
    expect(res.type).to.equal('application/problem+json');
    expect(res.body.type).to.equal('https://pulseboard.dev/problems/unavailable');
    expect(Number(res.headers['retry-after'])).to.be.above(0);
  });

  it('answers an unknown API route with a 404 problem', async () => {
    const res = await request(createApp(testContext())).get('/api/v1/nothing-here').expect(404);
    expect(res.type).to.equal('application/problem+json');
    expect(res.body).to.include({ type: 'https://pulseboard.dev/problems/not-found', status: 404, title: 'Not found' });
    expect(res.body.detail).to.contain('GET /api/v1/nothing-here');
  });

  it('answers a malformed JSON body with a 400 problem and no stack trace', async () => {
    const res = await request(createApp(testContext()))
      .post('/api/v1/anything')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.type).to.equal('application/problem+json');
    expect(res.body).to.include({ type: 'https://pulseboard.dev/problems/bad-request', status: 400 });
    expect(res.body.detail).to.equal('The request body is not valid JSON.');
    expect(JSON.stringify(res.body)).not.to.match(/at .*\.ts:\d+|SyntaxError/);
  });
});
