import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { seedDemoData } from '../../../db/seed/demo.ts';
import { seedCatalog } from '../../../db/seed/catalog.ts';
import { findUserByEmail } from '../../../db/repositories/users.ts';
import { platformApp } from '../platform/helpers.ts';

describe('demo catalog', () => {
  it('gives both demo providers a profile, weekly hours and bookable services, once', async () => {
    await seedDemoData(testDb());
    await seedCatalog(testDb());
    await seedCatalog(testDb());
    const { app } = platformApp();
    for (const [email, timezone] of [['priya.provider@pulseboard.test', 'Europe/Berlin'], ['paul.provider@pulseboard.test', 'America/New_York']]) {
      const user = (await findUserByEmail(testDb(), email))!;
      const profile = (await request(app).get(`/api/v1/providers/${user.id}`).expect(200)).body;
      expect(profile.timezone, email).to.equal(timezone);
      expect(profile.services, email).to.have.length(2);
      const slots = (await request(app).get(`/api/v1/providers/${user.id}/slots`).query({ serviceId: profile.services[0].id }).expect(200)).body.slots;
      expect(slots.length, email).to.be.greaterThan(0);
    }
  });
});
