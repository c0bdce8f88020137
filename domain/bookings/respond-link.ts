import { z } from 'zod';

/**
 * What an accept / decline email link carries: the booking, the person it was sent to, and a
 * unique id that is spent when the link is used, so it works once. A provider's link answers a
 * booking request; either side's link answers a proposed new time, the one named in it only.
 */
export const respondLinkPayloadSchema = z.object({
  bookingId: z.number().int().positive(),
  providerId: z.number().int().positive(),
  tokenId: z.uuid(),
});

export const rescheduleLinkPayloadSchema = z.object({
  bookingId: z.number().int().positive(),
  userId: z.number().int().positive(),
  party: z.enum(['customer', 'provider']),
  proposedStart: z.iso.datetime(),
  tokenId: z.uuid(),
});

export const bookingLinkPayloadSchema = z.union([rescheduleLinkPayloadSchema, respondLinkPayloadSchema]);

export type RespondLinkPayload = z.infer<typeof respondLinkPayloadSchema>;
export type RescheduleLinkPayload = z.infer<typeof rescheduleLinkPayloadSchema>;
export type BookingLinkPayload = z.infer<typeof bookingLinkPayloadSchema>;

export const respondActionSchema = z.enum(['accept', 'decline']);
