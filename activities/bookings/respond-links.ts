import { randomUUID } from 'node:crypto';
import { signLinkToken } from '../../domain/signing/link-token.ts';
import type { RespondLinkPayload } from '../../domain/bookings/respond-link.ts';

/** Builds the provider's accept / decline links: one signed token, valid until the request's answer is due. */
export function respondLinkBuilder(publicUrl: string, key: Uint8Array) {
  const secret = Buffer.from(key);
  return (booking: { id: number; providerId: number; expiresAt: Date }) => {
    const payload: RespondLinkPayload = { bookingId: booking.id, providerId: booking.providerId, tokenId: randomUUID() };
    const token = signLinkToken({ payload, expiresAt: booking.expiresAt, secret });
    return { accept: `${publicUrl}/respond/${token}?action=accept`, decline: `${publicUrl}/respond/${token}?action=decline` };
  };
}
