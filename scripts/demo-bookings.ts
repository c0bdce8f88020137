import { request } from 'undici';
import type { AppContext } from '../api/context.ts';
import { issueAccessToken } from '../api/auth/access-tokens.ts';
import { findUserByEmail } from '../db/repositories/users.ts';

const PROVIDER = 'paul.provider@pulseboard.test';
const CUSTOMERS = ['carla.customer@pulseboard.test', 'chris.customer@pulseboard.test'];

/** What the demo asks of each booking once it is confirmed: Paul answers some of them. */
const PLAN = [
  { customer: 0, service: 0, then: [] },
  { customer: 1, service: 1, then: [] },
  { customer: 1, service: 0, then: ['accept'] },
  { customer: 0, service: 1, then: ['decline'] },
] as const;

/**
 * Demo bookings for `npm start`: on a database where Paul Painter has none yet, Carla and Chris
 * book his services through the API as anyone would (hold a slot, confirm it), and Paul accepts
 * one and declines another, so his board, his requests and the dev outbox's emails show the
 * booking lifecycle from the first minute. Answers how many were made (0 when skipped).
 */
export async function seedDemoBookings(ctx: AppContext, apiUrl: string): Promise<number> {
  const provider = await findUserByEmail(ctx.db, PROVIDER);
  const customers = await Promise.all(CUSTOMERS.map((email) => findUserByEmail(ctx.db, email)));
  if (!provider || customers.some((c) => !c)) return 0;
  if (await ctx.db('bookings').where({ provider_id: provider.id }).first('id')) return 0;
  const services: Array<{ id: number }> = await ctx.db('services').where({ provider_id: provider.id, active: true }).orderBy('id').select('id');
  if (services.length < 2) return 0;

  const as = async (userId: number) => {
    const token = await issueAccessToken(ctx, userId);
    return async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await request(`${apiUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await res.body.json()) as T & { detail?: string };
      if (res.statusCode >= 400) throw new Error(`demo bookings: ${method} ${path} answered ${res.statusCode}: ${answer.detail ?? ''}`);
      return answer;
    };
  };
  const paul = await as(provider.id);
  const people = await Promise.all(customers.map((c) => as(c!.id)));

  // Each takes the earliest slot still open: the slots are read anew after every hold, which takes its time away.
  for (const step of PLAN) {
    const serviceId = services[step.service].id;
    const { slots } = await people[step.customer]<{ slots: Array<{ start: string; state: string }> }>('GET', `/providers/${provider.id}/slots?serviceId=${serviceId}`);
    const slot = slots.find((s) => s.state === 'open');
    if (!slot) throw new Error('demo bookings: Paul Painter has no open slot left');
    const held = await people[step.customer]<{ id: number }>('POST', '/bookings/hold', { serviceId, startsAt: slot.start });
    await people[step.customer]('POST', `/bookings/${held.id}/confirm`, {});
    for (const action of step.then) await paul('POST', `/bookings/${held.id}/${action}`, {});
  }
  return PLAN.length;
}
