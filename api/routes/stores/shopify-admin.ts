import { createOutboundClient, type OutboundClient } from '../../../runtime/outbound-http.ts';
import { SHOPIFY_API_VERSION } from '../../../domain/stores/shopify-app.ts';
import { Problem } from '../../http/problem.ts';

const TIMEOUT_MS = 15_000;

/** What the shop tells the app about itself once installed: what we name and count its store by. */
export interface ShopFacts {
  name: string;
  currency: string;
  timezone: string;
}

const badGateway = (detail: string) => new Problem(502, 'shopify-refused', 'Shopify refused the install', detail);

/**
 * The two calls an install makes before the store exists: the code for an offline access token,
 * and the shop's name, currency and timezone. Through the guarded outbound client, like every
 * call to an address a customer gives.
 */
export function shopifyInstallCalls(options: { allowLoopback: boolean }, client: OutboundClient = createOutboundClient(options)) {
  async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
    const result = await client.send({ url, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body), timeoutMs: TIMEOUT_MS });
    if (result.kind !== 'response') throw badGateway(`Shopify could not be reached (${result.kind === 'timeout' ? 'timed out' : result.kind === 'refused' ? result.reason : result.message}).`);
    if (result.statusCode !== 200) throw badGateway(`Shopify answered ${result.statusCode}.`);
    try {
      return JSON.parse(result.body);
    } catch {
      throw badGateway('Shopify answered with something other than JSON.');
    }
  }

  return {
    async exchangeCode(adminBase: string, app: { clientId: string; clientSecret: string }, code: string): Promise<{ accessToken: string; scope: string }> {
      const answer = (await postJson(`${adminBase}/admin/oauth/access_token`, {}, { client_id: app.clientId, client_secret: app.clientSecret, code })) as { access_token?: unknown; scope?: unknown };
      if (typeof answer.access_token !== 'string' || !answer.access_token) throw badGateway('Shopify gave no access token.');
      return { accessToken: answer.access_token, scope: typeof answer.scope === 'string' ? answer.scope : '' };
    },

    async shop(adminBase: string, accessToken: string): Promise<ShopFacts> {
      const answer = (await postJson(`${adminBase}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`, { 'x-shopify-access-token': accessToken }, { query: '{ shop { name currencyCode ianaTimezone } }' })) as {
        data?: { shop?: { name?: string; currencyCode?: string; ianaTimezone?: string } };
      };
      const shop = answer.data?.shop;
      if (!shop?.name || !shop.currencyCode || !shop.ianaTimezone) throw badGateway('Shopify did not say the shop\u2019s name, currency and timezone.');
      return { name: shop.name, currency: shop.currencyCode, timezone: shop.ianaTimezone };
    },

    close: () => client.close(),
  };
}
