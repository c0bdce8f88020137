import { createHmac, timingSafeEqual } from 'node:crypto';

export type Secret = string | Buffer;

export function hmacSha256(secret: Secret, ...parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** Compares in time independent of where the bytes differ, so an attacker cannot guess a MAC byte by byte. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
