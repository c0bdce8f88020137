import { expect } from 'chai';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { calendarSignature } from '../../../domain/catalog/calendar-webhook.ts';
import { calendarWebhookSecret } from '../../../api/routes/calendar-webhooks.ts';
import { platformApp, type PlatformApp, type Session } from '../platform/helpers.ts';
import { localDateAhead, signedInProvider } from './support.ts';

describe('calendar webhooks', () => {
  let app: PlatformApp['app'];
  let secret: string;
  let provider: Session;
  let deliveries = 0;

  before(async () => {
    const platform = platformApp();
    app = platform.app;
    secret = calendarWebhookSecret(platform.ctx);
    provider = await signedInProvider(app);
  });

  const nextDelivery = () => `delivery-${Date.now().toString(36)}-${(deliveries += 1)}`;

  function deliver(body: unknown, options: { signature?: string | null; calendar?: string } = {}) {
    const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = request(app).post(`/api/v1/calendar_webhooks/${options.calendar ?? 'google'}`).set('Content-Type', 'application/json');
    const signature = options.signature === undefined ? calendarSignature(secret, raw) : options.signature;
    // A string goes out byte for byte; superagent would turn a Buffer into JSON of its own.
    return (signature === null ? req : req.set('X-Pulseboard-Calendar-Signature', signature)).send(raw.toString('utf8'));
  }

  const externalBlocks = () =>
    testDb()('availability_blocks')
      .where({ provider_id: provider.user.id, source: 'external' })
      .orderBy('external_event_id')
      .select('external_event_id', 'calendar', 'reason', testDb().raw('lower(during) as start'), testDb().raw('upper(during) as end'));

  const day = localDateAhead(2);
  const hour = (h: number) => new Date(new Date(day.from).getTime() + h * 3_600_000).toISOString();

  it('creates, moves and deletes blocks by the calendar’s event id', async () => {
    const eventId = `evt-${Date.now()}`;
    const created = await deliver({ deliveryId: nextDelivery(), events: [{ id: eventId, providerId: provider.user.id, type: 'created', start: hour(10), end: hour(11), summary: 'Busy' }] }).expect(200);
    expect(created.body).to.include({ duplicate: false, applied: 1 });
    expect(await externalBlocks()).to.deep.equal([{ external_event_id: eventId, calendar: 'google', reason: 'Busy', start: new Date(hour(10)), end: new Date(hour(11)) }]);

    await deliver({ deliveryId: nextDelivery(), events: [{ id: eventId, providerId: provider.user.id, type: 'moved', start: hour(14), end: hour(16), summary: 'Busy later' }] }).expect(200);
    expect(await externalBlocks()).to.deep.equal([{ external_event_id: eventId, calendar: 'google', reason: 'Busy later', start: new Date(hour(14)), end: new Date(hour(16)) }]);

    // The same event id from another calendar is another block.
    await deliver({ deliveryId: nextDelivery(), events: [{ id: eventId, providerId: provider.user.id, type: 'created', start: hour(8), end: hour(9) }] }, { calendar: 'outlook' }).expect(200);
    expect((await externalBlocks()).map((b) => b.calendar)).to.have.members(['google', 'outlook']);

    await deliver({ deliveryId: nextDelivery(), events: [{ id: eventId, providerId: provider.user.id, type: 'deleted' }] }).expect(200);
    expect((await externalBlocks()).map((b) => b.calendar)).to.deep.equal(['outlook']);
    await deliver({ deliveryId: nextDelivery(), events: [{ id: eventId, providerId: provider.user.id, type: 'deleted' }] }, { calendar: 'outlook' }).expect(200);
    expect(await externalBlocks()).to.deep.equal([]);
  });

  it('applies a delivery once however often it is retried', async () => {
    const deliveryId = nextDelivery();
    const eventId = `evt-retry-${Date.now()}`;
    const body = { deliveryId, events: [{ id: eventId, providerId: provider.user.id, type: 'created', start: hour(9), end: hour(10) }] };
    await deliver(body).expect(200);
    // Deleted meanwhile (say, by a later delivery); a retry of the first must not bring it back.
    await testDb()('availability_blocks').where({ external_event_id: eventId }).delete();
    const retry = await deliver(body).expect(200);
    expect(retry.body).to.include({ duplicate: true, applied: 0 });
    expect(await externalBlocks()).to.deep.equal([]);
  });

  it('ignores events of unknown providers and says which', async () => {
    const res = await deliver({ deliveryId: nextDelivery(), events: [{ id: 'evt-nobody', providerId: 999_999, type: 'created', start: hour(9), end: hour(10) }] }).expect(200);
    expect(res.body).to.include({ applied: 0 });
    expect(res.body.ignored).to.deep.equal(['evt-nobody']);
  });

  it('answers 401 and changes nothing for a missing, malformed or wrong signature', async () => {
    const deliveryId = nextDelivery();
    const body = { deliveryId, events: [{ id: 'evt-forged', providerId: provider.user.id, type: 'created', start: hour(9), end: hour(10) }] };
    for (const signature of [null, 'not-hex', calendarSignature('some other secret', Buffer.from(JSON.stringify(body)))]) {
      const res = await deliver(body, { signature }).expect(401);
      expect(res.body.type).to.equal('https://pulseboard.dev/problems/bad-signature');
    }
    // Signed for other bytes: re-serialised JSON is not what was signed.
    await deliver(JSON.stringify(body, null, 2), { signature: calendarSignature(secret, Buffer.from(JSON.stringify(body))) }).expect(401);
    expect(await externalBlocks()).to.deep.equal([]);
    expect(await testDb()('calendar_webhook_deliveries').where({ delivery_id: deliveryId }).first()).to.equal(undefined);
  });

  it('answers 400 for a well-signed but malformed delivery', async () => {
    const malformed = [
      '{"deliveryId": ',
      { events: [] },
      { deliveryId: nextDelivery(), events: [{ id: 'e', providerId: provider.user.id, type: 'created', start: hour(10), end: hour(9) }] },
      { deliveryId: nextDelivery(), events: [{ id: 'e', providerId: provider.user.id, type: 'renamed' }] },
    ];
    for (const body of malformed) {
      const res = await deliver(body).expect(400);
      expect(res.type).to.equal('application/problem+json');
    }
    await deliver({ deliveryId: nextDelivery(), events: [] }, { calendar: 'Not A Calendar' }).expect(400);
  });
});
