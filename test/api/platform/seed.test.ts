import { expect } from 'chai';
import request from 'supertest';
import { seedDemoData } from '../../../db/seed/demo.ts';
import { testDb } from '../../support/app.ts';
import { freshIp, platformApp } from './helpers.ts';

describe('demo data', () => {
  it('is idempotent, and every printed login signs in with the promised roles', async () => {
    const first = await seedDemoData(testDb());
    const usersBefore = await testDb()('users').count<{ count: string }[]>({ count: '*' });
    const second = await seedDemoData(testDb());
    expect(second).to.deep.equal(first);
    expect(await testDb()('users').count<{ count: string }[]>({ count: '*' })).to.deep.equal(usersBefore);
    expect(await testDb()('organizations').where({ name: 'Acme Ops' }).count<{ count: string }[]>({ count: '*' })).to.deep.equal([{ count: 1 }]);

    expect(first.map((login) => login.role).sort()).to.deep.equal(['admin', 'customer', 'customer', 'customer', 'customer', 'provider', 'provider']);
    const { app } = platformApp();
    for (const login of first) {
      const agent = request.agent(app);
      const res = await agent.post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: login.email, password: login.password }).expect(200);
      expect(res.body.user.role, login.email).to.equal(login.role);
      const orgs = (await agent.get('/api/v1/auth/me').expect(200)).body.organizations;
      expect(orgs.map((o: { name: string; role: string }) => ({ name: o.name, role: o.role })), login.email).to.deep.equal(login.organization ? [login.organization] : []);
    }
  });
});
