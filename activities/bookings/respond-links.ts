import { randomUUID } from 'node:crypto';
import { signLinkToken } from '../../domain/signing/link-token.ts';
import type { BookingLinkPayload } from '../../domain/bookings/respond-link.ts';

/** What an email's accept / decline links answer, without the token id each link gets. */
export type LinkSubject = BookingLinkPayload extends infer P ? (P extends unknown ? Omit<P, 'tokenId'> : never) : never;
export type AnswerLinks = (subject: LinkSubject, expiresAt: Date) => { accept: string; decline: string };

/** Builds accept / decline links: one signed, single-use token, valid until the answer is due. */
export function answerLinkBuilder(publicUrl: string, key: Uint8Array): AnswerLinks {
  const secret = Buffer.from(key);
  return (subject, expiresAt) => {
    const token = signLinkToken({ payload: { ...subject, tokenId: randomUUID() }, expiresAt, secret });
    return { accept: `${publicUrl}/respond/${token}?action=accept`, decline: `${publicUrl}/respond/${token}?action=decline` };
  };
}
