import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppContext } from '../../context.ts';
import type { bookingWorkflow } from '../../../workflows/booking/workflow.ts';
import { bookingWorkflowId } from '../../../workflows/booking/definitions.ts';
import { deleteBooking, expireOrphanedHold, findExpiredHoldsInTheWay, insertHold, newHoldView, type NewHold } from '../../../db/repositories/bookings.ts';
import type { BookingView } from '../../../domain/bookings/views.ts';
import { findServiceToHold } from '../../../db/repositories/services.ts';
import { HOLD_TTL_MINUTES } from '../../../domain/bookings/requests.ts';
import { ANSWER_LEAD_MINUTES, answerableInTime } from '../../../domain/bookings/answer-deadline.ts';
import { multiplyHourly } from '../../../domain/money.ts';
import { conflict, notFound } from '../../http/problem.ts';
import { requireTemporal, type TemporalGateway } from '../../temporal.ts';

/**
 * Holds a slot for the customer: the row first (the exclusion constraint decides who wins a
 * race), then the booking's actor, which will expire the hold if it is not confirmed in time.
 */
export async function holdSlot(ctx: AppContext, customer: { id: number; name: string; timezone?: string }, serviceId: number, startsAt: Date): Promise<BookingView> {
  const temporal = requireTemporal(ctx);
  const now = new Date();
  const found = await findServiceToHold(ctx.db, serviceId, startsAt, now);
  if (!found || !found.service.active) throw notFound('No such service.');
  const { service } = found;
  if (service.providerId === customer.id) throw conflict('You cannot book your own service.');
  if (!found.slotOpen) throw conflict('This time is no longer open: someone may have just taken it. Pick another open time.', { reason: 'slot-unavailable' });
  if (!answerableInTime({ now, startsAt, responseSlaMinutes: service.responseSlaMinutes, autoAccept: service.autoAccept })) {
    throw conflict(`${service.providerName} answers each request and needs to do so at least ${ANSWER_LEAD_MINUTES} minutes before the start: this time is too soon. Pick a later one.`, { reason: 'too-soon-to-answer' });
  }
  const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
  const hold: NewHold = {
    serviceId,
    providerId: service.providerId,
    customerId: customer.id,
    startsAt,
    endsAt,
    bufferBeforeMinutes: service.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
    holdExpiresAt: new Date(now.getTime() + HOLD_TTL_MINUTES * 60_000),
    priceMinor: service.priceKind === 'hourly' ? multiplyHourly(service.priceMinor, service.durationMinutes) : service.priceMinor,
    currency: service.currency,
    customerTimezone: customer.timezone,
  };
  let booking = await insertHold(ctx.db, hold);
  if (!booking && (await releaseOrphanedHolds(ctx, temporal, hold, now))) booking = await insertHold(ctx.db, hold);
  if (!booking) throw conflict('Someone else has just taken this time. Pick another open time.', { reason: 'slot-taken' });
  try {
    await temporal.client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
      workflowId: bookingWorkflowId(String(booking.id)),
      taskQueue: temporal.taskQueue,
      args: [
        {
          bookingId: String(booking.id),
          customerId: String(customer.id),
          providerId: String(service.providerId),
          startsAt: booking.starts_at.toISOString(),
          endsAt: booking.ends_at.toISOString(),
          holdExpiresAt: booking.hold_expires_at.toISOString(),
          responseSlaMinutes: service.responseSlaMinutes,
          autoAccept: service.autoAccept,
        },
      ],
    });
  } catch (error) {
    // Without its actor a hold would never expire: give the slot back.
    await deleteBooking(ctx.db, booking.id);
    throw error;
  }
  return newHoldView(booking, { serviceTitle: service.title, providerName: service.providerName, providerTimezone: service.providerTimezone, customerName: customer.name });
}

/**
 * An expired hold that still takes the time, with no actor: the API stopped between writing it
 * and starting its actor, so nothing would ever expire it and the slot would stay taken. Such
 * holds are expired here; one with an actor is left to it (its timer is due). True when one was.
 */
async function releaseOrphanedHolds(ctx: AppContext, temporal: TemporalGateway, hold: NewHold, now: Date): Promise<boolean> {
  let released = false;
  for (const id of await findExpiredHoldsInTheWay(ctx.db, hold, now)) {
    const hasActor = await temporal.client.workflow
      .getHandle(bookingWorkflowId(String(id)))
      .describe()
      .then(
        () => true,
        (error: unknown) => (error instanceof WorkflowNotFoundError ? false : Promise.reject(error)),
      );
    if (!hasActor && (await expireOrphanedHold(ctx.db, id, now))) released = true;
  }
  return released;
}
