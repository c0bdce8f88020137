/**
 * The Shopify app's side of an install, as Shopify documents it: the authorize URL, the check of
 * the query Shopify sends back (HMAC-SHA256 hex of the sorted query without `hmac`, keyed with the
 * app's client secret), and the webhook topics the app subscribes to once installed.
 */
import { z } from 'zod';
import { hmacSha256, sameBytes } from '../signing/hmac.ts';

/** The Admin API version every call names. */
export const SHOPIFY_API_VERSION = '2025-01';

export const shopDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected the shop domain, like example.myshopify.com');

export const installQuerySchema = z.object({
  shop: shopDomainSchema,
  /** Where the shop's admin answers instead of https://{shop}: honoured only where loopback targets are allowed (tests, the demo). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export const callbackQuerySchema = z.object({
  code: z.string().min(1).max(500),
  hmac: z.string().regex(/^[0-9a-f]{64}$/i, 'expected a hex HMAC'),
  shop: shopDomainSchema,
  state: z.string().min(16).max(200),
  timestamp: z.string().regex(/^\d+$/),
});

/** How old a callback's timestamp may be: Shopify redirects at once, a replay comes later. */
export const CALLBACK_MAX_AGE_SECONDS = 24 * 60 * 60;

export function authorizeUrl(adminBase: string, params: { clientId: string; scopes: string; redirectUri: string; state: string }): string {
  const query = new URLSearchParams({ client_id: params.clientId, scope: params.scopes, redirect_uri: params.redirectUri, state: params.state });
  return `${adminBase}/admin/oauth/authorize?${query}`;
}

/** Shopify escapes `%` and `&` in keys and values, and `=` in keys, before joining the sorted pairs. */
const escapeValue = (s: string) => s.replace(/%/g, '%25').replace(/&/g, '%26');
const escapeKey = (s: string) => escapeValue(s).replace(/=/g, '%3D');

/** Whether the callback's query carries the HMAC of the rest of it under the app's client secret. */
export function verifyOAuthQuery(query: Record<string, string>, secret: string): boolean {
  const given = query.hmac;
  if (!given || !/^[0-9a-f]{64}$/i.test(given)) return false;
  return sameBytes(Buffer.from(given, 'hex'), queryMac(query, secret));
}

/** Signs a query as Shopify does (hex): the fake Shopify uses it. */
export function signOAuthQuery(query: Record<string, string>, secret: string): string {
  return queryMac(query, secret).toString('hex');
}

function queryMac(query: Record<string, string>, secret: string): Buffer {
  const message = Object.keys(query)
    .filter((key) => key !== 'hmac' && key !== 'signature')
    .sort()
    .map((key) => `${escapeKey(key)}=${escapeValue(query[key])}`)
    .join('&');
  return hmacSha256(secret, message);
}

/**
 * What the app subscribes to through `webhookSubscriptionCreate`, by its GraphQL enum name. The
 * mandatory compliance topics (customers/data_request, customers/redact, shop/redact) are not
 * among them: Shopify takes those only from the app's configuration (shopify.app.toml or the
 * Partner Dashboard), never from this API.
 */
export const SHOPIFY_APP_TOPICS = ['ORDERS_CREATE', 'ORDERS_UPDATED', 'REFUNDS_CREATE', 'INVENTORY_LEVELS_UPDATE', 'PRODUCTS_UPDATE', 'APP_UNINSTALLED'] as const;

/** `ORDERS_CREATE` → `orders/create`, the name webhooks carry in X-Shopify-Topic. */
export const restTopicOf = (graphqlTopic: string) => graphqlTopic.toLowerCase().replace(/_([a-z]+)$/, '/$1');
