import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { verifyShopifyHmac, verifyWooSignature } from '../../../domain/signing/store-webhook-hmac.ts';

const secret = 'shpss_webhook_secret';
const rawBody = Buffer.from('{"id": 820982911946154500, "total_price": "199.00"}\n');
const good = createHmac('sha256', secret).update(rawBody).digest('base64');

for (const [name, verify] of [['verifyShopifyHmac', verifyShopifyHmac], ['verifyWooSignature', verifyWooSignature]] as const) {
  describe(name, () => {
    it('accepts the base64 HMAC-SHA256 of the raw body', () => {
      expect(verify(rawBody, good, secret)).to.equal(true);
    });
    it('rejects another body, even the same JSON re-serialised', () => {
      expect(verify(Buffer.from(JSON.stringify(JSON.parse(rawBody.toString()))), good, secret)).to.equal(false);
      expect(verify(Buffer.from('{"id":1}'), good, secret)).to.equal(false);
    });
    it('rejects the wrong secret', () => {
      expect(verify(rawBody, good, 'wrong')).to.equal(false);
    });
    it('rejects a missing or malformed header, and the right MAC in hex', () => {
      const hex = Buffer.from(good, 'base64').toString('hex');
      for (const header of [undefined, null, '', 'not base64!', good.slice(0, -4), hex]) expect(verify(rawBody, header, secret), String(header)).to.equal(false);
    });
  });
}
