/**
 * External calendars tell us about their busy time: a delivery carries events that create, move
 * or delete a block, each known by the calendar's own event id.
 */
import { z } from 'zod';
import { hmacSha256, sameBytes } from '../signing/hmac.ts';

export const CALENDAR_SIGNATURE_HEADER = 'X-Pulseboard-Calendar-Signature';

export const calendarNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a calendar name such as google or outlook');

const instant = z.iso.datetime({ offset: true });
const eventIdentity = { id: z.string().min(1).max(256), providerId: z.int().positive().max(Number.MAX_SAFE_INTEGER) };

/** Created and moved mean the same to us: the event now occupies [start, end). */
const timedEvent = z
  .object({ ...eventIdentity, type: z.enum(['created', 'moved']), start: instant, end: instant, summary: z.string().max(500).default('') })
  .refine((e) => Date.parse(e.end) > Date.parse(e.start), { message: 'end must be after start', path: ['end'] });

const deletedEvent = z.object({ ...eventIdentity, type: z.literal('deleted') });

export const calendarDeliverySchema = z.object({
  deliveryId: z.string().min(1).max(256),
  events: z.array(z.union([timedEvent, deletedEvent])).max(1000),
});
export type CalendarDelivery = z.infer<typeof calendarDeliverySchema>;
export type CalendarEvent = CalendarDelivery['events'][number];

/** Hex HMAC-SHA256 of the raw body: what a calendar puts in the signature header. */
export function calendarSignature(secret: string, rawBody: Buffer): string {
  return hmacSha256(secret, rawBody).toString('hex');
}

/** Anything but 64 hex digits is simply wrong; the comparison itself is constant-time. */
export function calendarSignatureMatches(secret: string, rawBody: Buffer, presented: string | undefined): boolean {
  if (!presented || !/^[0-9a-f]{64}$/i.test(presented)) return false;
  return sameBytes(hmacSha256(secret, rawBody), Buffer.from(presented, 'hex'));
}
