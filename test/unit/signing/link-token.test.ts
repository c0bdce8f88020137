import { expect } from 'chai';
import { z } from 'zod';
import { signLinkToken, verifyLinkToken } from '../../../domain/signing/link-token.ts';

const secret = 'link-secret';
const payloadSchema = z.object({ bookingId: z.string(), action: z.enum(['accept', 'decline']), tokenId: z.string() });
const payload = { bookingId: 'bk_123', action: 'accept' as const, tokenId: 'tok_1' };
const expiresAt = new Date('2026-06-02T12:00:00Z');
const before = new Date('2026-06-01T12:00:00Z');

describe('link tokens', () => {
  const token = signLinkToken({ payload, expiresAt, secret });

  it('are URL-safe and carry their payload back until they expire', () => {
    expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyLinkToken(token, { secret, now: before, payloadSchema })).to.deep.equal({ ok: true, payload, expiresAt });
  });

  it('expire at their expiry', () => {
    expect(verifyLinkToken(token, { secret, now: expiresAt, payloadSchema })).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('reject a changed payload, a swapped signature or another secret', () => {
    const [, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ p: { ...payload, bookingId: 'bk_999' }, exp: expiresAt.getTime() / 1000 })).toString('base64url');
    expect(verifyLinkToken(`${forged}.${mac}`, { secret, now: before, payloadSchema })).to.deep.equal({ ok: false, reason: 'bad_signature' });
    expect(verifyLinkToken(token, { secret: 'other', now: before, payloadSchema })).to.deep.equal({ ok: false, reason: 'bad_signature' });
    const other = signLinkToken({ payload: { ...payload, action: 'decline' }, expiresAt, secret });
    expect(verifyLinkToken(`${token.split('.')[0]}.${other.split('.')[1]}`, { secret, now: before, payloadSchema })).to.deep.equal({ ok: false, reason: 'bad_signature' });
  });

  it('reject malformed tokens', () => {
    for (const bad of ['', 'abc', `${token}.extra`, token.replace('.', '!'), `${token.split('.')[0]}.${'A'.repeat(20)}`]) {
      expect(verifyLinkToken(bad, { secret, now: before, payloadSchema }), bad).to.deep.equal({ ok: false, reason: 'malformed' });
    }
  });

  it('reject a validly signed payload of the wrong shape', () => {
    const wrongShape = signLinkToken({ payload: { bookingId: 42 }, expiresAt, secret });
    expect(verifyLinkToken(wrongShape, { secret, now: before, payloadSchema })).to.deep.equal({ ok: false, reason: 'malformed' });
  });
});
