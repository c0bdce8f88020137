import { bookingListQuerySchema, holdRequestSchema, ratingSchema, rescheduleRequestSchema, transitionBodySchema } from '../../../domain/bookings/requests.ts';
import { respondActionSchema } from '../../../domain/bookings/respond-link.ts';
import type { BookingUpdateName } from '../../../workflows/booking/definitions.ts';
import { inputSchema, isoDateTime, object, page, ref, type JsonSchema } from '../json-schema.ts';
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

const token = { token: { type: 'string', description: 'The signed token from the email' } };

const linkRequired = { booking: ref('Booking'), spent: { type: 'boolean' }, expiresAt: isoDateTime, kind: { type: 'string', enum: ['request', 'reschedule'] } };
/** What a link answers; a reschedule link adds the proposal it is for and the side it was sent to. */
const linkView: JsonSchema = {
  ...object(linkRequired),
  properties: {
    ...linkRequired,
    proposedStart: { ...isoDateTime, description: 'For a reschedule link: the proposed start it answers' },
    party: { type: 'string', enum: ['customer', 'provider'], description: 'For a reschedule link: the side it was sent to' },
  },
};

/** The other side's answer to a proposed new time. */
const rescheduleAnswer = ([answer, summary]: [string, string]): OperationSpec => ({
  method: 'post',
  path: `${V1}/bookings/:bookingId/reschedule/${answer}`,
  summary,
  auth: 'user',
  body: transitionBodySchema,
  success: ok('The booking after the answer', ref('Booking')),
  problems: [404, 409, 503],
});

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
    {
      method: 'post',
      path: `${V1}/bookings/:bookingId/reschedule`,
      summary: 'The customer or the provider proposes a new time for an accepted booking; its slot is held until the other side answers',
      auth: 'user',
      body: rescheduleRequestSchema,
      success: ok('The booking with the proposal (`reschedule`)', ref('Booking')),
      problems: [404, 409, 503],
    },
    ...Object.entries({ accept: 'The other side accepts the new time: the booking moves and its old time is free', decline: 'The other side declines the new time: the booking keeps its time' }).map(rescheduleAnswer),
    { method: 'post', path: `${V1}/bookings/:bookingId/rating`, summary: 'The customer rates a completed booking, once', auth: 'user', body: ratingSchema, success: created('The booking with its rating', ref('Booking')), problems: [404, 409] },
    {
      method: 'get',
      path: `${V1}/booking_links/:token`,
      summary: "Show the booking behind an email link: a provider's request, or either side's proposed new time (opening it never acts)",
      auth: 'public',
      params: token,
      success: ok(
        'The booking, what the link answers, and whether it is spent',
        linkView,
      ),
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
