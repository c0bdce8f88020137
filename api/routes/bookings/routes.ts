import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { findBookingView, listBookings } from '../../../db/repositories/bookings.ts';
import { bookingListQuerySchema, holdRequestSchema, ratingSchema, rescheduleRequestSchema, transitionBodySchema } from '../../../domain/bookings/requests.ts';
import type { BookingUpdateName } from '../../../workflows/booking/definitions.ts';
import { createRateLimiter } from '../../auth/rate-limit.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { bookingForCaller } from './access.ts';
import { emailLinkRoutes } from './email-links.ts';
import { holdSlot } from './hold.ts';
import { rateBooking } from './rating.ts';
import { answerReschedule, proposeReschedule } from './reschedule.ts';
import { requestTransition } from './transition.ts';

const TRANSITIONS: BookingUpdateName[] = ['confirm', 'accept', 'decline', 'start', 'complete', 'cancel'];

/** /api/v1/bookings: hold, the lifecycle transitions, a new time, my bookings, one booking, rating. */
export function bookingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(emailLinkRoutes(ctx));
  const holdLimit = createRateLimiter({ name: 'booking hold', windowMs: 60_000, limit: 30, key: (req) => (req.principal?.kind === 'user' ? `user:${req.principal.user.id}` : undefined) });

  router.post('/bookings/hold', requireUser, holdLimit, async (req, res) => {
    const body = holdRequestSchema.parse(req.body);
    const booking = await holdSlot(ctx, { ...currentUser(req), timezone: body.timezone }, body.serviceId, body.startsAt);
    res.status(201).location(`/api/v1/bookings/${booking.id}`).json(booking);
  });

  router.get('/bookings/mine', requireUser, async (req, res) => {
    const query = bookingListQuerySchema.parse(req.query);
    res.json({ ...(await listBookings(ctx.db, { ...query, states: query.state, userId: currentUser(req).id })), page: query.page, pageSize: query.pageSize });
  });

  router.get('/bookings/:bookingId', requireUser, async (req, res) => {
    const { booking } = await bookingForCaller(ctx, req);
    res.json(await findBookingView(ctx.db, booking.id));
  });

  for (const action of TRANSITIONS) {
    router.post(`/bookings/:bookingId/${action}`, requireUser, async (req, res) => {
      const { note } = transitionBodySchema.parse(req.body ?? {});
      const { booking, actor } = await bookingForCaller(ctx, req);
      await requestTransition(ctx, booking.id, action, actor, note);
      res.json(await findBookingView(ctx.db, booking.id));
    });
  }

  router.post('/bookings/:bookingId/reschedule', requireUser, async (req, res) => {
    const { startsAt } = rescheduleRequestSchema.parse(req.body);
    const { booking, actor } = await bookingForCaller(ctx, req);
    await proposeReschedule(ctx, booking, actor, startsAt);
    res.json(await findBookingView(ctx.db, booking.id));
  });

  for (const answer of ['accept', 'decline'] as const) {
    router.post(`/bookings/:bookingId/reschedule/${answer}`, requireUser, async (req, res) => {
      const { note } = transitionBodySchema.parse(req.body ?? {});
      const { booking, actor } = await bookingForCaller(ctx, req);
      await answerReschedule(ctx, booking.id, answer, { actor, note });
      res.json(await findBookingView(ctx.db, booking.id));
    });
  }

  router.post('/bookings/:bookingId/rating', requireUser, async (req, res) => {
    const rating = ratingSchema.parse(req.body);
    const { booking, actor } = await bookingForCaller(ctx, req);
    await rateBooking(ctx, booking, actor, rating);
    res.status(201).json(await findBookingView(ctx.db, booking.id));
  });

  return router;
}
