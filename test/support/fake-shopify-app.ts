import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signOAuthQuery } from '../../domain/stores/shopify-app.ts';

/**
 * Shopify's side of an app install, for the fake store server: the authorize page (which approves
 * at once, as a merchant clicking "Install" would, and sends the browser back to the redirect URI
 * with a code and a query signed with the app's secret), the code-for-token exchange, the shop's
 * facts, `webhookSubscriptions` / `webhookSubscriptionCreate`, and deliveries to the subscribed
 * callback URLs signed as Shopify signs them (the caller sends them: tests to their own API).
 */
export interface FakeShopifyAppOptions {
  shop: string;
  clientId: string;
  clientSecret: string;
  /** The token the exchange hands out; the Admin API takes it. */
  accessToken: string;
  shopFacts?: { name: string; currencyCode: string; ianaTimezone: string };
}

export interface FakeSubscription {
  id: string;
  topic: string;
  callbackUrl: string;
}

export interface FakeShopifyApp {
  options: FakeShopifyAppOptions;
  /** Each authorize request's query, as the browser brought it. */
  authorizations: Array<Record<string, string>>;
  /** Each token exchange's body. */
  exchanges: Array<Record<string, unknown>>;
  subscriptions: FakeSubscription[];
  /** A delivery of `payload` to the callback subscribed to `topic` (REST name, like orders/create), signed with the app secret or `secret`. */
  delivery(topic: string, payload: unknown, secret?: string): { url: string; headers: Record<string, string>; body: string };
}

export function fakeShopifyApp(options: FakeShopifyAppOptions) {
  const codes = new Set<string>();
  const state: FakeShopifyApp = {
    options,
    authorizations: [],
    exchanges: [],
    subscriptions: [],
    delivery(topic, payload, secret = options.clientSecret) {
      const graphqlTopic = topic.toUpperCase().replace('/', '_');
      const subscription = state.subscriptions.find((s) => s.topic === graphqlTopic);
      if (!subscription) throw new Error(`nothing is subscribed to ${topic}`);
      const body = JSON.stringify(payload);
      return {
        url: subscription.callbackUrl,
        body,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-shop-domain': options.shop,
          'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
          'x-shopify-webhook-id': randomBytes(8).toString('hex'),
          'x-shopify-triggered-at': new Date().toISOString(),
        },
      };
    },
  };

  /** Answers the app's own requests; false for anything else (the orders API answers those). */
  function handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean {
    if (req.method === 'GET' && url.pathname === '/admin/oauth/authorize') {
      const query = Object.fromEntries(url.searchParams);
      state.authorizations.push(query);
      if (query.client_id !== options.clientId) return void res.writeHead(400).end('unknown client_id'), true;
      const code = randomBytes(12).toString('hex');
      codes.add(code);
      const back: Record<string, string> = { code, host: Buffer.from(`admin.shopify.com/store/${options.shop.split('.')[0]}`).toString('base64url'), shop: options.shop, state: query.state, timestamp: String(Math.floor(Date.now() / 1000)) };
      back.hmac = signOAuthQuery(back, options.clientSecret);
      res.writeHead(302, { location: `${query.redirect_uri}?${new URLSearchParams(back)}` }).end();
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/admin/oauth/access_token') {
      const exchange = JSON.parse(body) as Record<string, unknown>;
      state.exchanges.push(exchange);
      res.setHeader('content-type', 'application/json');
      const valid = exchange.client_id === options.clientId && exchange.client_secret === options.clientSecret && codes.delete(String(exchange.code));
      if (!valid) return void res.writeHead(400).end(JSON.stringify({ error: 'invalid_request', error_description: 'The authorization code was not found or was already used' })), true;
      res.end(JSON.stringify({ access_token: options.accessToken, scope: 'read_orders,read_products,read_inventory' }));
      return true;
    }
    return false;
  }

  /** The GraphQL documents the app sends besides the orders query; null for those it does not know. */
  function graphql(query: string, variables: Record<string, unknown>): unknown | null {
    if (/^\s*\{\s*shop\s*\{/.test(query)) return { shop: options.shopFacts ?? { name: 'Fake Shop', currencyCode: 'EUR', ianaTimezone: 'Europe/Berlin' } };
    if (query.includes('webhookSubscriptionCreate')) {
      const input = variables.webhookSubscription as { callbackUrl: string };
      const subscription = { id: `gid://shopify/WebhookSubscription/${state.subscriptions.length + 1}${Date.now() % 1000}`, topic: String(variables.topic), callbackUrl: input.callbackUrl };
      state.subscriptions.push(subscription);
      return { webhookSubscriptionCreate: { webhookSubscription: { id: subscription.id, topic: subscription.topic }, userErrors: [] } };
    }
    if (query.includes('webhookSubscriptions')) {
      return { webhookSubscriptions: { nodes: state.subscriptions.map((s) => ({ id: s.id, topic: s.topic, endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.callbackUrl } })) } };
    }
    return null;
  }

  return { state, handle, graphql };
}
