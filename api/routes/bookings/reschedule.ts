import type { AppContext } from '../../context.ts';
import type { Actor } from '../../../domain/bookings/lifecycle.ts';
import type { BookingRow } from '../../../db/repositories/bookings.ts';
import { findServiceToHold } from '../../../db/repositories/services.ts';
import { acceptRescheduleUpdate, declineRescheduleUpdate, proposeRescheduleUpdate } from '../../../workflows/booking/definitions.ts';
import { askBookingActor } from './transition.ts';

/**
 * Proposes a new time for the booking. Whether it is an open slot is read here (the booking's own
 * time aside: it is the one moving) and handed to the actor, whose validator gives every reason
 * in one order; the actor then holds the slot, where the exclusion constraint settles any race.
 */
export async function proposeReschedule(ctx: AppContext, booking: BookingRow, actor: Actor, startsAt: Date): Promise<void> {
  const found = await findServiceToHold(ctx.db, booking.service_id, startsAt, new Date(), { exceptBookingId: booking.id });
  const endsAt = new Date(startsAt.getTime() + (booking.ends_at.getTime() - booking.starts_at.getTime()));
  const request = { actor, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), slotOpen: found?.slotOpen === true };
  await askBookingActor(ctx, booking.id, proposeRescheduleUpdate, request, 'reschedule');
}

/** The other side's answer to the proposed time; `proposedStart` ties an email link's answer to its proposal. */
export async function answerReschedule(ctx: AppContext, bookingId: number, answer: 'accept' | 'decline', request: { actor: Actor; note?: string; proposedStart?: string }): Promise<void> {
  const update = answer === 'accept' ? acceptRescheduleUpdate : declineRescheduleUpdate;
  await askBookingActor(ctx, bookingId, update, request, `reschedule-${answer}`);
}
