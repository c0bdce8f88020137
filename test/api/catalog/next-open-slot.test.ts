import { expect } from 'chai';
import request from 'supertest';
import { DateTime } from 'luxon';
import { platformApp, type PlatformApp } from '../platform/helpers.ts';
import { createService, localDateAhead, putTemplate, signedInProvider } from './support.ts';

describe('catalog: the first open slot of a service', () => {
  let app: PlatformApp['app'];
  before(() => ({ app } = platformApp()));

  it('finds the first open slot weeks ahead, past empty weeks, so the calendar can open there', async () => {
    const provider = await signedInProvider(app, 'Europe/Berlin');
    const service = await createService(provider, { durationMinutes: 60, maxDaysAhead: 90 });
    await putTemplate(provider, {});
    const { date } = localDateAhead(40, 'Europe/Berlin');
    await provider.agent.put(`/api/v1/providers/me/availability/overrides/${date}`).set('X-CSRF-Token', provider.csrf).send({ intervals: [{ start: '14:00', end: '16:00' }] }).expect(200);
    const res = await request(app).get(`/api/v1/providers/${provider.user.id}/slots/next_open`).query({ serviceId: service.id }).expect(200);
    expect(res.body.start).to.equal(DateTime.fromISO(`${date}T14:00`, { zone: 'Europe/Berlin' }).toUTC().toISO());
  });

  it('answers null when nothing is open within the booking window, and 404 for another provider’s service', async () => {
    const provider = await signedInProvider(app, 'Europe/Berlin');
    const service = await createService(provider, { maxDaysAhead: 10 });
    await putTemplate(provider, {});
    const { date } = localDateAhead(20, 'Europe/Berlin');
    await provider.agent.put(`/api/v1/providers/me/availability/overrides/${date}`).set('X-CSRF-Token', provider.csrf).send({ intervals: [{ start: '09:00', end: '12:00' }] }).expect(200);
    expect((await request(app).get(`/api/v1/providers/${provider.user.id}/slots/next_open`).query({ serviceId: service.id }).expect(200)).body).to.deep.equal({ start: null });
    const other = await signedInProvider(app);
    await request(app).get(`/api/v1/providers/${other.user.id}/slots/next_open`).query({ serviceId: service.id }).expect(404);
    await request(app).get(`/api/v1/providers/${provider.user.id}/slots/next_open`).query({ serviceId: 'x' }).expect(422);
  });
});
