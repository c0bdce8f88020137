/**
 * The signature on every request a job sends, so its receiver can tell the request came from us,
 * unchanged, to this URL, and not replayed later: header `t=<unix seconds>,v2=<hex>`, where v2 is
 * HMAC-SHA256 with the signing secret over four lines,
 *
 *   <t>\n<METHOD>\n<URL>\n<hex SHA-256 of the raw body>
 *
 * (an empty body hashes as the empty string). Binding method and URL keeps a captured request from
 * being replayed to another endpoint of the receiver within the tolerance. During a secret rotation
 * the header holds one v2 per valid secret, the newest first; one match is enough.
 */
import { createHash } from 'node:crypto';
import { hmacSha256, sameBytes, type Secret } from './hmac.ts';

export interface SignedRequest {
  method: string;
  url: string;
  body: Buffer;
}

export function jobSignatureBase(request: SignedRequest, timestamp: number): string {
  return `${timestamp}\n${request.method.toUpperCase()}\n${request.url}\n${createHash('sha256').update(request.body).digest('hex')}`;
}

export function jobSignatureHeader(request: SignedRequest, timestamp: number, secrets: Secret[]): string {
  const base = jobSignatureBase(request, timestamp);
  return [`t=${timestamp}`, ...secrets.map((secret) => `v2=${hmacSha256(secret, base).toString('hex')}`)].join(',');
}

export type JobSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/** The receiver's side, as docs/api-jobs.md shows it in Node, Python and Go. */
export function verifyJobSignature(header: string | null | undefined, request: SignedRequest, secret: Secret, options: { toleranceSeconds: number; now: Date }): JobSignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const fields = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const t = fields.find(([key]) => key === 't')?.[1];
  const signatures = fields.filter(([key, value]) => key === 'v2' && /^[0-9a-f]{64}$/.test(value ?? '')).map(([, value]) => Buffer.from(value!, 'hex'));
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(options.now.getTime() / 1000 - Number(t)) > options.toleranceSeconds) return { ok: false, reason: 'expired' };
  const expected = hmacSha256(secret, jobSignatureBase(request, Number(t)));
  return signatures.some((s) => sameBytes(s, expected)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
