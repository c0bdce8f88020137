import { bookingListQuerySchema, holdRequestSchema, ratingSchema, transitionBodySchema } from '../../../domain/bookings/requests.ts';
import { respondActionSchema } from '../../../domain/bookings/respond-link.ts';
import type { BookingUpdateName } from '../../../workflows/booking/definitions.ts';
import { inputSchema, isoDateTime, object, page, ref } from '../json-schema.ts';
import { created, ok, V1, type OperationSpec, type TagSpec } from '../operation.ts';

const TRANSITIONS: Record<BookingUpdateName, string> = {
  confirm: 'The customer confirms their hold; the provider is asked',
  accept: 'The provider accepts',
  decline: 'The provider declines',
  start: 'The provider starts the work',
  complete: 'The provider completes it',
  cancel: 'The customer, the provider or an admin cancels',
};

/** Every transition asks the booking's actor; a refusal is a 409 with its reason and changes nothing. */
const transition = ([action, summary]: [string, string]): OperationSpec => ({
  method: 'post',
  path: `${V1}/bookings/:bookingId/${action}`,
  summary,
  auth: 'user',
  body: transitionBodySchema,
  success: ok('The booking after the transition', ref('Booking')),
  problems: [404, 409, 503],
});

const token = { token: { type: 'string', description: "The signed token from the provider's email" } };

export const bookingsTag: TagSpec = {
  name: 'bookings',
  description: "Booking lifecycle. Each booking is an actor; callers who are neither its customer, its provider nor an admin get 404.",
  operations: [
    {
      method: 'post',
      path: `${V1}/bookings/hold`,
      summary: 'Hold an open slot of a service for 10 minutes',
      auth: 'user',
      body: holdRequestSchema,
      success: created('The held booking (`Location` names it)', ref('Booking')),
      problems: [404, 409, 429, 503],
    },
    { method: 'get', path: `${V1}/bookings/mine`, summary: "The caller's bookings as customer or provider", auth: 'user', query: bookingListQuerySchema, success: ok('A page of bookings', page(ref('Booking'))) },
    { method: 'get', path: `${V1}/bookings/:bookingId`, summary: 'One booking', auth: 'user', success: ok('The booking', ref('Booking')), problems: [404] },
    ...Object.entries(TRANSITIONS).map(transition),
    { method: 'post', path: `${V1}/bookings/:bookingId/rating`, summary: 'The customer rates a completed booking, once', auth: 'user', body: ratingSchema, success: created('The booking with its rating', ref('Booking')), problems: [404, 409] },
    {
      method: 'get',
      path: `${V1}/booking_links/:token`,
      summary: "Show the booking behind a provider's email link (opening it never acts)",
      auth: 'public',
      params: token,
      success: ok('The booking and whether the link is spent', object({ booking: ref('Booking'), spent: { type: 'boolean' }, expiresAt: isoDateTime })),
      problems: [404, 410],
    },
    {
      method: 'post',
      path: `${V1}/booking_links/:token/:action`,
      summary: 'Accept or decline from the email link; the link works once',
      auth: 'public',
      params: { ...token, action: inputSchema(respondActionSchema) },
      body: transitionBodySchema,
      success: ok('The booking after the transition', ref('Booking')),
      problems: [409, 410, 503],
    },
  ],
};
