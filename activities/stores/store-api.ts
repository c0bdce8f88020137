import type { OutboundClient, OutboundRequest } from '../../runtime/outbound-http.ts';
import { parseShopifyGraphqlOrder, parseWooOrder, type OrderFacts } from '../../domain/stores/payloads.ts';
import { waitForCostMs, type ThrottleStatus } from '../../domain/stores/shopify-throttle.ts';
import type { StoreCredentials } from '../../domain/stores/store-input.ts';
import { SHOPIFY_API_VERSION } from '../../domain/stores/shopify-app.ts';

/**
 * One page of a store's orders from its platform's API: Shopify's GraphQL Admin API (cursor
 * pagination, cost-metered) or WooCommerce REST v3 (numbered pages, X-WP-TotalPages). The caller
 * paces the calls; this answers how long the platform asks it to wait before the next one. The
 * address comes from the store (its shop domain or site URL), so the call goes through the guarded client.
 */
export interface StoreApiTarget {
  platform: 'shopify' | 'woocommerce';
  apiBaseUrl: string;
  credentials: StoreCredentials;
}

export interface OrdersQuery {
  since: Date;
  /** Backfill reads by creation time, reconcile by last change. */
  by: 'created' | 'updated';
  /** Null for the first page: a Shopify end cursor or a WooCommerce page number. */
  cursor: string | null;
}

export interface OrdersPage {
  orders: OrderFacts[];
  next: string | null;
  totalPages: number | null;
  /** How long to wait before the next call (the platform's throttle), beyond our own pacing. */
  waitMs: number;
  /** The platform refused this call for now: ask again for the same cursor after waitMs. */
  throttled: boolean;
}

/** The platform answered, and not with what we asked for; `status` is its HTTP status. */
export class StoreApiError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const PAGE_SIZE = 50;
const QUERY_COST = 60;
const TIMEOUT_MS = 30_000;
/** A page of 50 orders with their line items; far more than one, and a bound all the same. */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

const ORDERS_QUERY = `query Orders($cursor: String, $query: String) {
  orders(first: ${PAGE_SIZE}, after: $cursor, query: $query, sortKey: UPDATED_AT) {
    nodes {
      id name createdAt updatedAt cancelledAt displayFinancialStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      refunds { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
      customer { id email }
      lineItems(first: 50) { nodes { id sku title quantity product { id } originalUnitPriceSet { shopMoney { amount currencyCode } } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function fetchOrdersPage(http: OutboundClient, target: StoreApiTarget, query: OrdersQuery): Promise<OrdersPage> {
  return target.platform === 'shopify' ? shopifyPage(http, target, query) : wooPage(http, target, query);
}

/**
 * One call through the guarded client. A refused address will not pass on retry (StoreApiError);
 * a timeout or a network error might (a plain Error, which the activity retries).
 */
async function call(http: OutboundClient, request: Omit<OutboundRequest, 'timeoutMs' | 'maxBodyBytes'>) {
  const result = await http.send({ ...request, timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_PAGE_BYTES });
  if (result.kind === 'refused') throw new StoreApiError(`the store's API address is not allowed: ${result.reason}`);
  if (result.kind === 'timeout') throw new Error(`the store's API did not answer within ${TIMEOUT_MS / 1000} s`);
  if (result.kind === 'network_error') throw new Error(result.message);
  return { statusCode: result.statusCode, headers: result.headers, text: result.body };
}

async function shopifyPage(http: OutboundClient, target: StoreApiTarget, query: OrdersQuery): Promise<OrdersPage> {
  if (!('accessToken' in target.credentials)) throw new StoreApiError('a Shopify store needs an access token');
  const field = query.by === 'created' ? 'created_at' : 'updated_at';
  const res = await call(http, {
    url: `${target.apiBaseUrl}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': target.credentials.accessToken },
    body: JSON.stringify({ query: ORDERS_QUERY, variables: { cursor: query.cursor, query: `${field}:>='${query.since.toISOString()}'` } }),
  });
  if (res.statusCode === 429) return { orders: [], next: query.cursor, totalPages: null, waitMs: retryAfterMs(res.headers['retry-after']), throttled: true };
  if (res.statusCode !== 200) throw new StoreApiError(`Shopify answered ${res.statusCode}`, res.statusCode);
  const body = JSON.parse(res.text) as {
    data?: { orders?: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
    extensions?: { cost?: { throttleStatus?: ThrottleStatus } };
  };
  const status = body.extensions?.cost?.throttleStatus;
  const waitMs = status ? waitForCostMs(status, QUERY_COST) : 0;
  if (body.errors?.some((e) => e.extensions?.code === 'THROTTLED')) return { orders: [], next: query.cursor, totalPages: null, waitMs: Math.max(waitMs, 1_000), throttled: true };
  if (body.errors?.length || !body.data?.orders) throw new StoreApiError(`Shopify refused the query: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  const { nodes, pageInfo } = body.data.orders;
  return { orders: nodes.map(parseShopifyGraphqlOrder), next: pageInfo.hasNextPage ? pageInfo.endCursor : null, totalPages: null, waitMs, throttled: false };
}

async function wooPage(http: OutboundClient, target: StoreApiTarget, query: OrdersQuery): Promise<OrdersPage> {
  if (!('consumerKey' in target.credentials)) throw new StoreApiError('a WooCommerce store needs a consumer key and secret');
  const page = Number(query.cursor ?? '1');
  const params = new URLSearchParams({
    per_page: String(PAGE_SIZE),
    page: String(page),
    [query.by === 'created' ? 'after' : 'modified_after']: query.since.toISOString(),
    orderby: query.by === 'created' ? 'date' : 'modified',
    order: 'asc',
    dates_are_gmt: 'true',
  });
  const auth = Buffer.from(`${target.credentials.consumerKey}:${target.credentials.consumerSecret}`).toString('base64');
  const res = await call(http, { url: `${target.apiBaseUrl}/wp-json/wc/v3/orders?${params}`, method: 'GET', headers: { authorization: `Basic ${auth}`, accept: 'application/json' }, body: null });
  if (res.statusCode === 429) return { orders: [], next: query.cursor, totalPages: null, waitMs: retryAfterMs(res.headers['retry-after']), throttled: true };
  if (res.statusCode !== 200) throw new StoreApiError(`WooCommerce answered ${res.statusCode}`, res.statusCode);
  const totalPages = Number(res.headers['x-wp-totalpages'] ?? '1') || 1;
  const orders = (JSON.parse(res.text) as unknown[]).map(parseWooOrder);
  return { orders, next: page < totalPages ? String(page + 1) : null, totalPages, waitMs: 0, throttled: false };
}

function retryAfterMs(header: string | undefined): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1_000, 60_000) : 2_000;
}
