/**
 * The signature on every request a job sends, so its receiver can tell the request came from us
 * and was not replayed later: header `t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `${t}.` followed by the raw body bytes (the same scheme as Stripe's, so receivers know it).
 */
import { hmacSha256, sameBytes, type Secret } from './hmac.ts';

export function signPayload(input: { secret: Secret; timestamp: number; body: Buffer }): string {
  return hmacSha256(input.secret, `${input.timestamp}.`, input.body).toString('hex');
}

export function signatureHeader(input: { secret: Secret; timestamp: number; body: Buffer }): string {
  return `t=${input.timestamp},v1=${signPayload(input)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a signature header against the raw body. Several `v1=` entries may be present (a sender
 * rotating its secret signs with both); one match is enough. `toleranceSeconds` bounds the clock
 * difference either way, so a captured request cannot be replayed later.
 */
export function verifySignature(header: string | null | undefined, body: Buffer, secret: Secret, options: { toleranceSeconds: number; now: Date }): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const item of header.split(',')) {
    const [key, value] = item.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value ?? '')) signatures.push(Buffer.from(value, 'hex'));
    else if (key === 't' || key === 'v1') return { ok: false, reason: 'malformed' };
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(options.now.getTime() / 1000 - timestamp) > options.toleranceSeconds) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(signPayload({ secret, timestamp, body }), 'hex');
  return signatures.some((s) => sameBytes(s, expected)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
