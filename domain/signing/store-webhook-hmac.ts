/**
 * Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce (`X-WC-Webhook-Signature`) both sign a
 * webhook as base64 HMAC-SHA256 of the raw request body with the shop's webhook secret. Check it
 * on the bytes as received: re-serialised JSON would not match.
 */
import { hmacSha256, sameBytes, type Secret } from './hmac.ts';

/** Exactly 32 bytes in standard base64, as both platforms send it. */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

function verifyBase64HmacSha256(rawBody: Buffer, header: string | null | undefined, secret: Secret): boolean {
  if (!header || !BASE64_SHA256.test(header.trim())) return false;
  return sameBytes(Buffer.from(header.trim(), 'base64'), hmacSha256(secret, rawBody));
}

export function verifyShopifyHmac(rawBody: Buffer, base64Header: string | null | undefined, secret: Secret): boolean {
  return verifyBase64HmacSha256(rawBody, base64Header, secret);
}

export function verifyWooSignature(rawBody: Buffer, base64Header: string | null | undefined, secret: Secret): boolean {
  return verifyBase64HmacSha256(rawBody, base64Header, secret);
}
