import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { slotsQuerySchema } from '../../../domain/catalog/availability-inputs.ts';
import { bookableNow } from '../../../domain/catalog/booking-window.ts';
import { offeredNoticeMinutes } from '../../../domain/bookings/answer-deadline.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { findService } from '../../../db/repositories/services.ts';
import { notFound } from '../../http/problem.ts';
import type { SlotCache } from './slot-cache.ts';

/** A provider's slots for one of their services, in the viewer's timezone (the provider's by default). */
export function slotRoutes(ctx: AppContext, cache: SlotCache): Router {
  return Router().get('/providers/:id/slots', async (req, res) => {
    const now = new Date();
    const query = slotsQuerySchema(now).parse(req.query);
    const providerId = parseNumericId(req.params.id);
    const service = await findService(ctx.db, query.serviceId);
    if (!service || service.providerId !== providerId || !service.active || !service.providerEnabled) throw notFound('No such service of this provider.');
    const timezone = query.tz ?? service.providerTimezone;
    const slots = bookableNow(await cache.slots(ctx.db, service, query.from, query.to, now, timezone), { ...service, minNoticeMinutes: offeredNoticeMinutes(service) }, now);
    res.json({
      providerId: service.providerId,
      serviceId: service.id,
      providerTimezone: service.providerTimezone,
      timezone,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      slots,
    });
  });
}
