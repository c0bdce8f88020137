import { request } from 'undici';
import type { Backend } from './backend.ts';

export async function apiCall(backend: Backend, token: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await request(backend.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, json: await res.body.json() };
}

/** A provider open around the clock (UTC) with a 15-minute service bookable a year ahead; `profile`: e.g. their answer time. */
export async function openProvider(backend: Backend, profile: { responseSlaMinutes?: number } = {}): Promise<{ providerId: number; token: string; serviceId: number }> {
  const provider = await backend.person('provider');
  await apiCall(backend, provider.token, 'PUT', '/api/v1/providers/me/profile', { timezone: 'UTC', ...profile });
  const allDay = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
  await apiCall(backend, provider.token, 'PUT', '/api/v1/providers/me/availability/template', allDay);
  const service = await apiCall(backend, provider.token, 'POST', '/api/v1/services', {
    title: 'Bench',
    durationMinutes: 15,
    price: { kind: 'fixed', amountMinor: 1000, currency: 'EUR' },
    minNoticeMinutes: 0,
    maxDaysAhead: 365,
  });
  return { providerId: provider.id, token: provider.token, serviceId: service.json.id };
}

export const QUARTER_MS = 15 * 60_000;

/** The i-th quarter-hour slot from an hour from now. */
export function slotAfterAnHour(i: number): Date {
  return new Date(Math.ceil((Date.now() + 60 * 60_000) / QUARTER_MS) * QUARTER_MS + i * QUARTER_MS);
}
