import { DateTime } from 'luxon';
import { testDb } from '../../support/app.ts';
import { createUser, signIn, type PlatformApp, type Session } from '../platform/helpers.ts';

/** A signed-in provider with a profile in `timezone`. */
export async function signedInProvider(app: PlatformApp['app'], timezone = 'Europe/Berlin'): Promise<Session> {
  const session = await signIn(app, await createUser('provider'));
  await session.agent.put('/api/v1/providers/me/profile').set('X-CSRF-Token', session.csrf).send({ timezone }).expect(201);
  return session;
}

export const NINE_TO_FIVE_DAILY = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
);

export async function createService(session: Session, fields: Record<string, unknown> = {}): Promise<{ id: number; [key: string]: unknown }> {
  const res = await session.agent
    .post('/api/v1/services')
    .set('X-CSRF-Token', session.csrf)
    .send({ title: 'Leak repair', durationMinutes: 60, price: { kind: 'fixed', amountMinor: 5000, currency: 'EUR' }, minNoticeMinutes: 0, maxDaysAhead: 365, ...fields })
    .expect(201);
  return res.body;
}

export async function putTemplate(session: Session, template: Record<string, unknown> = NINE_TO_FIVE_DAILY): Promise<void> {
  await session.agent.put('/api/v1/providers/me/availability/template').set('X-CSRF-Token', session.csrf).send(template).expect(200);
}

/** A provider-local date some days from now, as `yyyy-MM-dd`, and its [00:00, next 00:00) in UTC. */
export function localDateAhead(days: number, zone = 'Europe/Berlin'): { date: string; from: string; to: string } {
  const start = DateTime.now().setZone(zone).startOf('day').plus({ days });
  return { date: start.toFormat('yyyy-MM-dd'), from: start.toUTC().toISO()!, to: start.plus({ days: 1 }).toUTC().toISO()! };
}

/** A booking row written directly, as the booking actor's activities would. */
export async function insertBookingRow(input: { serviceId: number; providerId: number; start: string; end: string; state: string; holdExpiresAt?: Date }): Promise<number> {
  const customer = await createUser('customer');
  const [{ id }] = await testDb()('bookings')
    .insert({
      service_id: input.serviceId,
      provider_id: input.providerId,
      customer_id: customer.id,
      starts_at: input.start,
      ends_at: input.end,
      blocks: testDb().raw("tstzrange(?::timestamptz, ?::timestamptz, '[)')", [input.start, input.end]),
      state: input.state,
      hold_expires_at: input.holdExpiresAt ?? new Date(Date.now() + 15 * 60_000),
      price_minor: 5000,
      currency: 'EUR',
    })
    .returning('id');
  return id;
}
