import type { AppContext } from '../../context.ts';
import type { Actor } from '../../../domain/bookings/lifecycle.ts';
import type { BookingRow } from '../../../db/repositories/bookings.ts';
import { conflict, forbidden } from '../../http/problem.ts';

const UNIQUE_VIOLATION = '23505';

/** The customer rates a completed booking once; the provider's mean follows in the same transaction. */
export async function rateBooking(ctx: AppContext, booking: BookingRow, actor: Actor, rating: { score: number; comment: string }): Promise<void> {
  if (actor.role !== 'customer') throw forbidden('Only the customer of a booking can rate it.');
  if (booking.state !== 'completed') throw conflict('Only a completed booking can be rated.');
  try {
    await ctx.db.transaction(async (trx) => {
      await trx('booking_ratings').insert({ booking_id: booking.id, customer_id: booking.customer_id, provider_id: booking.provider_id, score: rating.score, comment: rating.comment });
      await trx('provider_profiles')
        .where({ user_id: booking.provider_id })
        .update({ rating_count: trx.raw('rating_count + 1'), rating_sum: trx.raw('rating_sum + ?', [rating.score]) });
    });
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw conflict('This booking has been rated already.');
    throw error;
  }
}
