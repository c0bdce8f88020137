import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fakeShopifyApp, type FakeShopifyApp, type FakeShopifyAppOptions } from './fake-shopify-app.ts';

/**
 * A Shopify GraphQL Admin API and WooCommerce REST v3 on 127.0.0.1, answering with the real
 * APIs' shapes: Shopify's `orders` connection with cursors and `extensions.cost.throttleStatus`
 * (and a THROTTLED error while the bucket is empty), WooCommerce's order pages with
 * X-WP-Total / X-WP-TotalPages. It records when each call came, so tests can check the pacing.
 */
export interface FakeOrder {
  id: number;
  total: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
  quantity: number;
  status?: string;
  /** `at`: when the refund was made (Shopify's `createdAt`), the order's last update unless given. */
  refunds?: Array<{ id: number; amount: string; at?: string }>;
}

export interface FakeStoreServer {
  baseUrl: string;
  shopifyOrders: FakeOrder[];
  wooOrders: FakeOrder[];
  /** Answer the next N Shopify queries with THROTTLED (bucket empty, restoring at `restoreRate`/s). */
  throttleNext: number;
  /** Answer the next `count` orders calls (either platform) with `status`, as a failing platform would. */
  failNext: { status: number; count: number } | null;
  /** Orders per Shopify page (50 by default): a test makes many pages of few orders. */
  shopifyPageSize: number;
  calls: Array<{ api: 'shopify' | 'woocommerce'; at: number; authorized: boolean }>;
  /** The site's webhooks as WooCommerce keeps them (`/wp-json/wc/v3/webhooks`); a test deletes or disables one here. */
  wooWebhooks: FakeWooWebhook[];
  /** The Shopify app side (OAuth, webhook subscriptions, deliveries), when started with `shopifyApp`. */
  shopifyApp: FakeShopifyApp | null;
  close(): Promise<void>;
}

export interface FakeWooWebhook {
  id: number;
  name: string;
  topic: string;
  status: 'active' | 'paused' | 'disabled';
  delivery_url: string;
  secret: string;
}

const PAGE = 50;
export const FAKE_SHOPIFY_TOKEN = 'shpat_test_token_123';
export const FAKE_WOO_KEY = 'ck_testkey12345';
export const FAKE_WOO_SECRET = 'cs_testsecret12345';

function shopifyNode(o: FakeOrder) {
  const money = (amount: string) => ({ shopMoney: { amount, currencyCode: o.currency } });
  return {
    id: `gid://shopify/Order/${o.id}`,
    name: `#${o.id}`,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledAt: null,
    displayFinancialStatus: 'PAID',
    totalPriceSet: money(o.total),
    refunds: (o.refunds ?? []).map((r) => ({ id: `gid://shopify/Refund/${r.id}`, createdAt: r.at ?? o.updatedAt, totalRefundedSet: money(r.amount) })),
    customer: { id: `gid://shopify/Customer/${o.id + 9000}`, email: `buyer${o.id}@example.test` },
    lineItems: { nodes: [{ id: `gid://shopify/LineItem/${o.id * 10}`, sku: `SKU-${o.id}`, title: 'Widget', quantity: o.quantity, product: { id: 'gid://shopify/Product/1' }, originalUnitPriceSet: money(o.total) }] },
  };
}

function wooOrder(o: FakeOrder) {
  const gmt = (iso: string) => iso.replace(/\.\d+Z$|Z$/, '');
  return {
    id: o.id,
    number: String(o.id),
    status: o.status ?? 'processing',
    currency: o.currency,
    total: o.total,
    date_created_gmt: gmt(o.createdAt),
    date_modified_gmt: gmt(o.updatedAt),
    customer_id: o.id + 9000,
    billing: { email: `buyer${o.id}@example.test` },
    line_items: [{ id: o.id * 10, product_id: 1, sku: `SKU-${o.id}`, name: 'Widget', quantity: o.quantity, price: Number(o.total) }],
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeStoreServer(options: { shopifyApp?: Omit<FakeShopifyAppOptions, 'accessToken'> } = {}): Promise<FakeStoreServer> {
  const app = options.shopifyApp ? fakeShopifyApp({ ...options.shopifyApp, accessToken: FAKE_SHOPIFY_TOKEN }) : null;
  const state = { shopifyOrders: [] as FakeOrder[], wooOrders: [] as FakeOrder[], throttleNext: 0, shopifyPageSize: PAGE, calls: [] as FakeStoreServer['calls'], shopifyApp: app?.state ?? null, failNext: null as FakeStoreServer['failNext'], wooWebhooks: [] as FakeWooWebhook[] };
  let wooWebhookIds = 0;
  /** Whether this call fails as told: an orders call (not the app's own) while failNext lasts. */
  const failing = (res: ServerResponse) => {
    if (!state.failNext || state.failNext.count <= 0) return false;
    state.failNext.count -= 1;
    res.writeHead(state.failNext.status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: 'failing as told' }));
    return true;
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (app?.handle(req, res, url, body)) return;
    if (req.method === 'POST' && /^\/admin\/api\/[\d-]+\/graphql\.json$/.test(url.pathname)) {
      const authorized = req.headers['x-shopify-access-token'] === FAKE_SHOPIFY_TOKEN;
      state.calls.push({ api: 'shopify', at: Date.now(), authorized });
      const { query, variables } = JSON.parse(body) as { query: string; variables: { cursor: string | null; query: string } };
      res.setHeader('content-type', 'application/json');
      if (!authorized) return void res.writeHead(401).end(JSON.stringify({ errors: '[API] Invalid API key or access token' }));
      const answered = app?.graphql(query, variables ?? {});
      if (answered) return void res.end(JSON.stringify({ data: answered }));
      if (failing(res)) return;
      if (state.throttleNext > 0) {
        state.throttleNext -= 1;
        const cost = { requestedQueryCost: 60, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 10, restoreRate: 100 } };
        return void res.end(JSON.stringify({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: { cost } }));
      }
      const since = Date.parse(/>='([^']+)'/.exec(variables.query)?.[1] ?? '1970-01-01T00:00:00Z');
      const field = variables.query.startsWith('created_at') ? 'createdAt' : 'updatedAt';
      const matching = state.shopifyOrders.filter((o) => Date.parse(o[field]) >= since);
      const start = variables.cursor ? Number(Buffer.from(variables.cursor, 'base64').toString()) : 0;
      const nodes = matching.slice(start, start + state.shopifyPageSize).map(shopifyNode);
      const end = start + nodes.length;
      const cost = { requestedQueryCost: 60, actualQueryCost: 52, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1948, restoreRate: 100 } };
      return void res.end(JSON.stringify({ data: { orders: { nodes, pageInfo: { hasNextPage: end < matching.length, endCursor: nodes.length ? Buffer.from(String(end)).toString('base64') : null } } }, extensions: { cost } }));
    }
    const wooAuthorized = req.headers.authorization === `Basic ${Buffer.from(`${FAKE_WOO_KEY}:${FAKE_WOO_SECRET}`).toString('base64')}`;
    const hook = /^\/wp-json\/wc\/v3\/webhooks(?:\/(\d+))?$/.exec(url.pathname);
    if (hook) {
      res.setHeader('content-type', 'application/json');
      if (!wooAuthorized) return void res.writeHead(401).end(JSON.stringify({ code: 'woocommerce_rest_cannot_view', data: { status: 401 } }));
      // WooCommerce never shows a webhook's secret back.
      const shown = ({ secret: _, ...w }: FakeWooWebhook) => w;
      if (req.method === 'GET' && !hook[1]) return void res.end(JSON.stringify(state.wooWebhooks.map(shown)));
      if (req.method === 'POST' && !hook[1]) {
        const input = JSON.parse(body) as Omit<FakeWooWebhook, 'id'>;
        const made: FakeWooWebhook = { id: (wooWebhookIds += 1), name: input.name, topic: input.topic, status: input.status ?? 'active', delivery_url: input.delivery_url, secret: input.secret };
        state.wooWebhooks.push(made);
        return void res.writeHead(201).end(JSON.stringify(shown(made)));
      }
      const held = state.wooWebhooks.find((w) => w.id === Number(hook[1]));
      if (!held) return void res.writeHead(404).end(JSON.stringify({ code: 'woocommerce_rest_webhook_invalid_id', data: { status: 404 } }));
      if (req.method === 'PUT') return void res.end(JSON.stringify(shown(Object.assign(held, JSON.parse(body)))));
    }
    if (req.method === 'GET' && url.pathname === '/wp-json/wc/v3/orders') {
      const authorized = wooAuthorized;
      state.calls.push({ api: 'woocommerce', at: Date.now(), authorized });
      res.setHeader('content-type', 'application/json');
      if (!authorized) return void res.writeHead(401).end(JSON.stringify({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } }));
      if (failing(res)) return;
      const after = url.searchParams.get('after') ?? url.searchParams.get('modified_after');
      const field = url.searchParams.has('after') ? 'createdAt' : 'updatedAt';
      const matching = state.wooOrders.filter((o) => !after || Date.parse(o[field]) > Date.parse(after));
      const perPage = Number(url.searchParams.get('per_page') ?? '10');
      const page = Number(url.searchParams.get('page') ?? '1');
      res.setHeader('x-wp-total', String(matching.length));
      res.setHeader('x-wp-totalpages', String(Math.max(1, Math.ceil(matching.length / perPage))));
      return void res.end(JSON.stringify(matching.slice((page - 1) * perPage, page * perPage).map(wooOrder)));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
