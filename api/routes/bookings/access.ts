import type { Request } from 'express';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../../domain/bookings/lifecycle.ts';
import { findBooking, type BookingRow } from '../../../db/repositories/bookings.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { currentUser } from '../../auth/middleware.ts';
import { notFound } from '../../http/problem.ts';

/**
 * The booking and the caller's part in it. Someone who is neither its customer, its provider
 * nor an admin gets 404: bookings of others do not exist for them.
 */
export async function bookingForCaller(ctx: AppContext, req: Request): Promise<{ booking: BookingRow; actor: Actor }> {
  const user = currentUser(req);
  const id = parseNumericId(req.params.bookingId);
  const booking = id === null ? undefined : await findBooking(ctx.db, id);
  if (!booking) throw notFound('No such booking.');
  const userId = String(user.id);
  if (booking.customer_id === user.id) return { booking, actor: { role: 'customer', userId } };
  if (booking.provider_id === user.id) return { booking, actor: { role: 'provider', userId } };
  if (user.role === 'admin') return { booking, actor: { role: 'admin', userId } };
  throw notFound('No such booking.');
}
