import { Router, type Request } from 'express';
import type { AppContext } from '../../context.ts';
import { nextOpenQuerySchema, slotsQuerySchema, MAX_SLOT_RANGE_DAYS } from '../../../domain/catalog/availability-inputs.ts';
import { bookableNow } from '../../../domain/catalog/booking-window.ts';
import { offeredNoticeMinutes } from '../../../domain/bookings/answer-deadline.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { findService, type ServiceRecord } from '../../../db/repositories/services.ts';
import { notFound } from '../../http/problem.ts';
import type { SlotCache } from './slot-cache.ts';

const DAY_MS = 86_400_000;

/** A provider's slots for one of their services, in the viewer's timezone (the provider's by default). */
export function slotRoutes(ctx: AppContext, cache: SlotCache): Router {
  const router = Router();

  async function bookableService(req: Request, serviceId: number): Promise<ServiceRecord> {
    const service = await findService(ctx.db, serviceId);
    if (!service || service.providerId !== parseNumericId(req.params.id) || !service.active || !service.providerEnabled) throw notFound('No such service of this provider.');
    return service;
  }

  /** What a customer may book now in [from, to): the service's notice, horizon and the time a request needs to be answered. */
  async function bookable(service: ServiceRecord, from: Date, to: Date, now: Date, timezone: string) {
    return bookableNow(await cache.slots(ctx.db, service, from, to, now, timezone), { ...service, minNoticeMinutes: offeredNoticeMinutes(service) }, now);
  }

  router.get('/providers/:id/slots', async (req, res) => {
    const now = new Date();
    const query = slotsQuerySchema(now).parse(req.query);
    const service = await bookableService(req, query.serviceId);
    const timezone = query.tz ?? service.providerTimezone;
    res.json({
      providerId: service.providerId,
      serviceId: service.id,
      providerTimezone: service.providerTimezone,
      timezone,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      slots: await bookable(service, query.from, query.to, now, timezone),
    });
  });

  /** The first open slot from now within the service's booking window, so a calendar can open on its week. */
  router.get('/providers/:id/slots/next_open', async (req, res) => {
    const now = new Date();
    const query = nextOpenQuerySchema.parse(req.query);
    const service = await bookableService(req, query.serviceId);
    const horizon = now.getTime() + (service.maxDaysAhead + 1) * DAY_MS;
    for (let from = now.getTime(); from < horizon; from += MAX_SLOT_RANGE_DAYS * DAY_MS) {
      const to = Math.min(from + MAX_SLOT_RANGE_DAYS * DAY_MS, horizon);
      const open = (await bookable(service, new Date(from), new Date(to), now, service.providerTimezone)).find((slot) => slot.state === 'open');
      if (open) return void res.json({ start: open.start });
    }
    res.json({ start: null });
  });

  return router;
}
