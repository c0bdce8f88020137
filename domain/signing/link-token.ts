/**
 * Tokens for links in emails (a provider's "accept this booking" button): a payload and an expiry,
 * signed, as `<base64url JSON>.<base64url HMAC>`. Anyone with the link can act, so keep payloads
 * small and specific (booking id, action, a unique token id) and expiries short.
 *
 * Single use is not something a token can enforce by itself: the caller must record the token's
 * unique id in the database when it is used (e.g. a unique key on the id) and refuse it the second time.
 */
import type { z } from 'zod';
import { hmacSha256, sameBytes, type Secret } from './hmac.ts';

/** Keeps a link token's MAC distinct from any other MAC made with the same secret. */
const PURPOSE = 'pulseboard-link-token-v1.';

export function signLinkToken(input: { payload: unknown; expiresAt: Date; secret: Secret }): string {
  const body = Buffer.from(JSON.stringify({ p: input.payload, exp: Math.floor(input.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${body}.${hmacSha256(input.secret, PURPOSE, body).toString('base64url')}`;
}

export type LinkTokenCheck<T> = { ok: true; payload: T; expiresAt: Date } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function verifyLinkToken<T>(token: string, options: { secret: Secret; now: Date; payloadSchema: z.ZodType<T> }): LinkTokenCheck<T> {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, body, mac] = match;
  // The MAC is checked before anything in the body is read.
  if (!sameBytes(Buffer.from(mac, 'base64url'), hmacSha256(options.secret, PURPOSE, body))) return { ok: false, reason: 'bad_signature' };
  let envelope: { p?: unknown; exp?: unknown };
  try {
    envelope = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = options.payloadSchema.safeParse(envelope.p);
  if (!payload.success || typeof envelope.exp !== 'number') return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(envelope.exp * 1000);
  if (options.now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload.data, expiresAt };
}
