import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { signatureHeader, signPayload, verifySignature } from '../../../domain/signing/request-signature.ts';

const secret = 'whsec_test_secret';
const body = Buffer.from('{"action":"full_backup","emoji":"✓"}');
const timestamp = 1_780_000_000;
const now = new Date(timestamp * 1000 + 30_000);
const options = { toleranceSeconds: 300, now };

describe('request signatures', () => {
  it('sign HMAC-SHA256 over "<t>." and the raw body bytes, in hex, as a receiver would recompute it', () => {
    const receiver = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
    expect(signPayload({ secret, timestamp, body })).to.equal(receiver);
    expect(signatureHeader({ secret, timestamp, body })).to.equal(`t=${timestamp},v1=${receiver}`);
  });

  it('verify a good header', () => {
    expect(verifySignature(signatureHeader({ secret, timestamp, body }), body, secret, options)).to.deep.equal({ ok: true });
  });

  it('accept any one of several v1 signatures (secret rotation)', () => {
    const header = `t=${timestamp},v1=${signPayload({ secret: 'old', timestamp, body })},v1=${signPayload({ secret, timestamp, body })}`;
    expect(verifySignature(header, body, secret, options)).to.deep.equal({ ok: true });
  });

  it('reject a changed body, a wrong secret or a changed timestamp', () => {
    const header = signatureHeader({ secret, timestamp, body });
    expect(verifySignature(header, Buffer.from('{"action":"drop_tables"}'), secret, options)).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header, body, 'another secret', options)).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header.replace(`t=${timestamp}`, `t=${timestamp + 1}`), body, secret, options)).to.deep.equal({ ok: false, reason: 'mismatch' });
  });

  it('reject a missing header', () => {
    expect(verifySignature(undefined, body, secret, options)).to.deep.equal({ ok: false, reason: 'missing' });
    expect(verifySignature('', body, secret, options)).to.deep.equal({ ok: false, reason: 'missing' });
  });

  it('reject malformed headers, including a base64 signature where hex belongs', () => {
    const hex = signPayload({ secret, timestamp, body });
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    for (const header of [`v1=${hex}`, `t=${timestamp}`, `t=soon,v1=${hex}`, `t=${timestamp},v1=${base64}`, `t=${timestamp},v1=${hex.slice(2)}`, 'garbage']) {
      expect(verifySignature(header, body, secret, options), header).to.deep.equal({ ok: false, reason: 'malformed' });
    }
  });

  it('reject a timestamp outside the tolerance, in the past or the future', () => {
    const header = signatureHeader({ secret, timestamp, body });
    expect(verifySignature(header, body, secret, { toleranceSeconds: 300, now: new Date((timestamp + 301) * 1000) })).to.deep.equal({ ok: false, reason: 'expired' });
    expect(verifySignature(header, body, secret, { toleranceSeconds: 300, now: new Date((timestamp - 301) * 1000) })).to.deep.equal({ ok: false, reason: 'expired' });
    expect(verifySignature(header, body, secret, { toleranceSeconds: 300, now: new Date((timestamp + 300) * 1000) })).to.deep.equal({ ok: true });
  });
});
