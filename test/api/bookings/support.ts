import { DateTime } from 'luxon';
import type { Agent } from 'supertest';
import { backendStack, type Stack } from '../../support/stack.ts';
import { createUser, signIn, type Session } from '../platform/helpers.ts';
import { createService, putTemplate, signedInProvider } from '../catalog/support.ts';

export interface Marketplace {
  stack: Stack;
  provider: Session;
  serviceId: number;
  /** The same provider's service that accepts bookings at once. */
  instantServiceId: number;
}

const ALL_DAY = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
);

/** A provider open around the clock with 15-minute services, so a slot is always at most 15 minutes away. */
export async function marketplace(): Promise<Marketplace> {
  const stack = await backendStack();
  const provider = await signedInProvider(stack.app, 'Europe/Berlin');
  await putTemplate(provider, ALL_DAY);
  const service = await createService(provider, { title: 'Quick fix', durationMinutes: 15, minNoticeMinutes: 0 });
  // Accepted at once, so it can be booked minutes ahead: a request needs time to be answered.
  const instant = await createService(provider, { title: 'Instant fix', durationMinutes: 15, minNoticeMinutes: 0, autoAccept: true });
  return { stack, provider, serviceId: service.id, instantServiceId: instant.id };
}

export async function customer(stack: Stack): Promise<Session> {
  return signIn(stack.app, await createUser('customer'));
}

/** The start of the quarter hour `quarters` quarters from now (UTC): a slot start of a 15-minute service. */
export function quarterHourFromNow(quarters: number): string {
  const now = DateTime.utc();
  return now.startOf('hour').plus({ minutes: 15 * (Math.floor(now.minute / 15) + quarters) }).toISO()!;
}

export function post(session: Session, path: string, body: unknown = {}): ReturnType<Agent['post']> {
  return session.agent.post(path).set('X-CSRF-Token', session.csrf).send(body as object);
}

export async function hold(session: Session, serviceId: number, startsAt: string): Promise<number> {
  const res = await post(session, '/api/v1/bookings/hold', { serviceId, startsAt }).expect(201);
  return res.body.id;
}
