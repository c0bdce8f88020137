import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A random token with `bytes` of entropy, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens we hand out are high-entropy, so a plain sha256 is enough to store them (no salt, no stretching). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hmac(key: Uint8Array, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
