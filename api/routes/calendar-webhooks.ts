import express, { Router } from 'express';
import type { AppContext } from '../context.ts';
import { CALENDAR_SIGNATURE_HEADER, calendarDeliverySchema, calendarNameSchema, calendarSignatureMatches, type CalendarEvent } from '../../domain/catalog/calendar-webhook.ts';
import { deleteExternalBlock, recordCalendarDelivery, upsertExternalBlock } from '../../db/repositories/availability.ts';
import { existingProviderIds } from '../../db/repositories/providers.ts';
import { hmacSha256 } from '../../domain/signing/hmac.ts';
import { badRequest, Problem } from '../http/problem.ts';

/** Only for development and tests, where APP_SECRET may be unset; production sets APP_SECRET. */
const DEV_CALENDAR_SECRET = 'pulseboard-dev-calendar-webhook-secret';

/** The deployment's calendar webhook secret, derived from APP_SECRET so no other key needs managing. */
export function calendarWebhookSecret(ctx: AppContext): string {
  const appSecret = ctx.config.APP_SECRET;
  return appSecret ? hmacSha256(appSecret, 'calendar-webhook').toString('hex') : DEV_CALENDAR_SECRET;
}

/**
 * External calendar busy time as blocks. Mounted before the global JSON parser: the signature
 * covers the raw bytes, which must be read before anything parses them. A delivery is applied in
 * one transaction with its delivery id, so a retry changes nothing; each event is keyed by its
 * calendar's event id, so created, moved and deleted land on the same block whatever their order
 * across deliveries.
 */
export function calendarWebhookRoutes(ctx: AppContext): Router {
  const secret = calendarWebhookSecret(ctx);
  return Router().post('/calendar_webhooks/:calendar', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!calendarSignatureMatches(secret, body, req.get(CALENDAR_SIGNATURE_HEADER))) {
      throw new Problem(401, 'bad-signature', 'Bad signature', `${CALENDAR_SIGNATURE_HEADER} must be the hex HMAC-SHA256 of the raw body.`);
    }
    const calendar = calendarNameSchema.safeParse(req.params.calendar);
    if (!calendar.success) throw badRequest('Unknown calendar name: use lower-case letters, digits, - or _.');
    const delivery = calendarDeliverySchema.safeParse(parseJson(body));
    if (!delivery.success) {
      throw badRequest('The delivery is malformed.', { errors: delivery.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    const { deliveryId, events } = delivery.data;
    const known = await existingProviderIds(ctx.db, events.map((e) => e.providerId));
    const outcome = await ctx.db.transaction(async (trx) => {
      if (!(await recordCalendarDelivery(trx, calendar.data, deliveryId))) return { duplicate: true, applied: 0, ignored: [] as string[] };
      const applicable = events.filter((e) => known.has(e.providerId));
      for (const event of applicable) await applyEvent(trx, calendar.data, event);
      return { duplicate: false, applied: applicable.length, ignored: events.filter((e) => !known.has(e.providerId)).map((e) => e.id) };
    });
    res.json({ deliveryId, ...outcome });
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function applyEvent(trx: Parameters<typeof upsertExternalBlock>[0], calendar: string, event: CalendarEvent): Promise<void> {
  const identity = { providerId: event.providerId, calendar, externalEventId: event.id };
  if (event.type === 'deleted') return deleteExternalBlock(trx, identity);
  return upsertExternalBlock(trx, { ...identity, start: event.start, end: event.end, reason: event.summary });
}
