import { z } from 'zod';

/**
 * What a provider's accept / decline email link carries: the booking, the provider it was sent to,
 * and a unique id that is spent when the link is used, so it works once.
 */
export const respondLinkPayloadSchema = z.object({
  bookingId: z.number().int().positive(),
  providerId: z.number().int().positive(),
  tokenId: z.uuid(),
});

export type RespondLinkPayload = z.infer<typeof respondLinkPayloadSchema>;

export const respondActionSchema = z.enum(['accept', 'decline']);
