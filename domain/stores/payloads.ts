/**
 * The platforms' payloads (Shopify REST webhooks and GraphQL Admin nodes, WooCommerce REST v3)
 * parsed into the few facts we keep. One shape per kind, whichever way it arrived, so a backfilled
 * order and the same order from a webhook land on the same row.
 */
import { z } from 'zod';
import { decimalToMinor } from './decimal-money.ts';
import { strictInstant } from './order-checks.ts';

export interface OrderLineFacts {
  lineId: string;
  productId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  priceMinor: number;
}

export interface OrderFacts {
  externalId: string;
  name: string;
  status: string;
  /** Whether the order counts toward revenue (not cancelled, voided, failed or unpaid). */
  countable: boolean;
  totalMinor: number;
  currency: string;
  placedAt: Date;
  updatedAt: Date;
  cartToken: string | null;
  customerExternalId: string | null;
  customerEmail: string | null;
  lines: OrderLineFacts[];
  /** Refunds the payload names, by the platform's refund id: net sales are the total less these. */
  refunds: Record<string, RefundFacts>;
  /** What reading the payload found wrong (an impossible date); the store's checks add theirs. */
  problems: string[];
  /** Why the order is not counted though kept (set by the checks at ingest), or null. */
  rejection?: string | null;
}

/**
 * A refund's amount in the store's currency and when it was made (ISO 8601): it takes net sales
 * off the day it happened, not the order's day, as the platforms' own reports do.
 */
export interface RefundFacts {
  amountMinor: number;
  at: string;
}

export interface StockFacts {
  itemId: string;
  locationId: string;
  title: string | null;
  available: number;
  updatedAt: Date;
}

export interface CartFacts {
  token: string;
  totalMinor: number;
  createdAt: Date;
}

const id = z.union([z.string().min(1), z.number().int()]).transform((value) => String(value).replace(/^gid:\/\/shopify\/\w+\//, ''));
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a timestamp').transform((s) => new Date(s));
/** WooCommerce's *_gmt fields carry no zone designator, but are UTC. */
const gmtInstant = z.string().transform((s) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`)).refine((d) => !Number.isNaN(d.getTime()), 'expected a timestamp');
const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]);
/** An order's timestamp is checked, not refused: an impossible one keeps the order, rejected. */
const orderInstant = z.string().max(64);

/** The order's instants, with a problem named for each that is no real instant (the time it was read stands in). */
function orderTimes(fields: Record<string, string>): { times: Record<string, Date>; problems: string[] } {
  const times: Record<string, Date> = {};
  const problems: string[] = [];
  for (const [name, text] of Object.entries(fields)) {
    const at = strictInstant(text);
    if (!at) problems.push(`impossible date ${name} ${JSON.stringify(text)}`);
    times[name] = at ?? new Date();
  }
  return { times, problems };
}
const shopMoney = z.object({ shop_money: z.object({ amount: decimal, currency_code: z.string().regex(/^[A-Z]{3}$/) }) });
const moneyBag = z.object({ shop_money: z.object({ amount: decimal }), presentment_money: z.object({ amount: decimal, currency_code: z.string().regex(/^[A-Z]{3}$/) }) });
const restRefund = z.object({
  id,
  created_at: z.string().max(64).nullish(),
  /** When the refund took effect (Shopify sets it to the creation time unless the refund was imported). */
  processed_at: z.string().max(64).nullish(),
  /** In the currency the customer paid (`currency`), which a multi-currency order's is not the shop's. */
  transactions: z.array(z.object({ kind: z.string().nullish(), status: z.string().nullish(), amount: decimal, currency: z.string().regex(/^[A-Z]{3}$/).nullish() })).default([]),
  refund_line_items: z.array(z.object({ subtotal_set: moneyBag.nullish(), total_tax_set: moneyBag.nullish() })).default([]),
  order_adjustments: z.array(z.object({ amount_set: moneyBag.nullish() })).default([]),
});

/**
 * Shop money per minor unit the customer paid in, from the refund's own amounts in both (its
 * lines, their tax, its adjustments): REST refund transactions carry only the customer's currency.
 * Null when the refund names none.
 */
function shopMoneyRate(refund: z.infer<typeof restRefund>, shopCurrency: string): number | null {
  const bags = [...refund.refund_line_items.flatMap((l) => [l.subtotal_set, l.total_tax_set]), ...refund.order_adjustments.map((a) => a.amount_set)].filter((b) => b != null);
  const shop = bags.reduce((sum, b) => sum + Math.abs(decimalToMinor(b.shop_money.amount, shopCurrency)), 0);
  const paid = bags.reduce((sum, b) => sum + Math.abs(decimalToMinor(b.presentment_money.amount, b.presentment_money.currency_code)), 0);
  return paid > 0 ? shop / paid : null;
}

/**
 * A refund's amount in the shop's currency (its successful refund transactions; one in the
 * customer's currency converted at the refund's own rate, or taken as it is when the refund gives
 * none) and when it took effect, else `fallback`.
 */
function restRefundFacts(refund: z.infer<typeof restRefund>, currency: string, fallback: Date): RefundFacts {
  const amountMinor = refund.transactions
    .filter((t) => (t.kind ?? 'refund') === 'refund' && (t.status ?? 'success') === 'success')
    .reduce((sum, t) => {
      if (!t.currency || t.currency === currency) return sum + Math.abs(decimalToMinor(t.amount, currency));
      const paid = Math.abs(decimalToMinor(t.amount, t.currency));
      return sum + Math.round(paid * (shopMoneyRate(refund, currency) ?? 1));
    }, 0);
  const at = strictInstant(refund.processed_at ?? '') ?? strictInstant(refund.created_at ?? '') ?? fallback;
  return { amountMinor, at: at.toISOString() };
}

const shopifyOrder = z.object({
  id,
  name: z.string(),
  created_at: orderInstant,
  updated_at: orderInstant,
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  total_price: decimal,
  /** A multi-currency order: shop_money is in the shop's currency, what the figures count. */
  total_price_set: shopMoney.nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  cart_token: z.string().nullish(),
  email: z.string().nullish(),
  customer: z.object({ id, email: z.string().nullish() }).nullish(),
  line_items: z.array(z.object({ id, product_id: id.nullish(), sku: z.string().nullish(), title: z.string(), quantity: z.int().min(0), price: decimal, price_set: shopMoney.nullish() })).default([]),
  refunds: z.array(restRefund).default([]),
});

/**
 * Never paid. A refunded order still counts on the day it was placed: its refunds take it off
 * net sales on the days they were made.
 */
const UNCOUNTED_SHOPIFY = new Set(['voided']);

export function parseShopifyOrder(body: unknown): OrderFacts {
  const o = shopifyOrder.parse(body);
  const status = o.cancelled_at ? 'cancelled' : (o.financial_status ?? 'pending');
  const currency = o.total_price_set?.shop_money.currency_code ?? o.currency;
  const { times, problems } = orderTimes({ created_at: o.created_at, updated_at: o.updated_at });
  return {
    externalId: o.id,
    name: o.name,
    status,
    countable: !o.cancelled_at && !UNCOUNTED_SHOPIFY.has(status),
    totalMinor: decimalToMinor(o.total_price_set?.shop_money.amount ?? o.total_price, currency),
    currency,
    placedAt: times.created_at,
    updatedAt: times.updated_at,
    cartToken: o.cart_token ?? null,
    customerExternalId: o.customer?.id ?? null,
    customerEmail: o.customer?.email ?? o.email ?? null,
    lines: o.line_items.map((l) => ({
      lineId: l.id,
      productId: l.product_id ?? null,
      sku: l.sku || null,
      title: l.title,
      quantity: l.quantity,
      priceMinor: decimalToMinor(l.price_set?.shop_money.amount ?? l.price, currency),
    })),
    refunds: Object.fromEntries(o.refunds.map((r) => [r.id, restRefundFacts(r, currency, times.updated_at)])),
    problems,
  };
}

const shopifyRefund = restRefund.extend({ order_id: id });

/** A refunds/create delivery: which order, which refund, how much and when (its arrival when it says not). */
export function parseShopifyRefund(body: unknown, currency: string): { orderId: string; refundId: string } & RefundFacts {
  const r = shopifyRefund.parse(body);
  return { orderId: r.order_id, refundId: r.id, ...restRefundFacts(r, currency, new Date()) };
}

const money = z.object({ shopMoney: z.object({ amount: decimal, currencyCode: z.string().regex(/^[A-Z]{3}$/) }) });
const shopifyGraphqlOrder = z.object({
  id,
  name: z.string(),
  createdAt: instant,
  updatedAt: instant,
  cancelledAt: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  totalPriceSet: money,
  refunds: z.array(z.object({ id, createdAt: instant.nullish(), totalRefundedSet: money })).default([]),
  customer: z.object({ id, email: z.string().nullish() }).nullish(),
  lineItems: z.object({
    nodes: z.array(z.object({ id, sku: z.string().nullish(), title: z.string(), quantity: z.int().min(0), product: z.object({ id }).nullish(), originalUnitPriceSet: money })),
  }),
});

/** An `orders` node of the GraphQL Admin API, as the backfill reads it. */
export function parseShopifyGraphqlOrder(node: unknown): OrderFacts {
  const o = shopifyGraphqlOrder.parse(node);
  const currency = o.totalPriceSet.shopMoney.currencyCode;
  const status = o.cancelledAt ? 'cancelled' : (o.displayFinancialStatus ?? 'PENDING').toLowerCase();
  return {
    externalId: o.id,
    name: o.name,
    status,
    countable: !o.cancelledAt && !UNCOUNTED_SHOPIFY.has(status),
    totalMinor: decimalToMinor(o.totalPriceSet.shopMoney.amount, currency),
    currency,
    placedAt: o.createdAt,
    updatedAt: o.updatedAt,
    cartToken: null,
    customerExternalId: o.customer?.id ?? null,
    customerEmail: o.customer?.email ?? null,
    lines: o.lineItems.nodes.map((l) => ({
      lineId: l.id,
      productId: l.product?.id ?? null,
      sku: l.sku || null,
      title: l.title,
      quantity: l.quantity,
      priceMinor: decimalToMinor(l.originalUnitPriceSet.shopMoney.amount, currency),
    })),
    refunds: Object.fromEntries(
      o.refunds.map((r) => [r.id, { amountMinor: Math.abs(decimalToMinor(r.totalRefundedSet.shopMoney.amount, currency)), at: (r.createdAt ?? o.updatedAt).toISOString() }]),
    ),
    problems: [],
  };
}

const wooOrder = z.object({
  id,
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  total: decimal,
  date_created_gmt: orderInstant,
  date_modified_gmt: orderInstant,
  customer_id: z.number().int().nullish(),
  billing: z.object({ email: z.string().nullish() }).partial().nullish(),
  cart_hash: z.string().nullish(),
  line_items: z.array(z.object({ id, product_id: id.nullish(), sku: z.string().nullish(), name: z.string(), quantity: z.int().min(0), price: decimal })).default([]),
  refunds: z.array(z.object({ id, total: decimal })).default([]),
});

/** Paid or about to be, or paid and refunded since (its refunds take it off net sales on their own days); pending, failed and cancelled do not. */
const COUNTED_WOO = new Set(['processing', 'completed', 'on-hold', 'refunded']);

export function parseWooOrder(body: unknown): OrderFacts {
  const o = wooOrder.parse(body);
  const { times, problems } = orderTimes({ date_created_gmt: o.date_created_gmt, date_modified_gmt: o.date_modified_gmt });
  return {
    externalId: o.id,
    name: `#${o.number}`,
    status: o.status,
    countable: COUNTED_WOO.has(o.status),
    totalMinor: decimalToMinor(o.total, o.currency),
    currency: o.currency,
    placedAt: times.date_created_gmt,
    updatedAt: times.date_modified_gmt,
    cartToken: o.cart_hash || null,
    customerExternalId: o.customer_id ? String(o.customer_id) : null,
    customerEmail: o.billing?.email || null,
    lines: o.line_items.map((l) => ({
      lineId: l.id,
      productId: l.product_id ?? null,
      sku: l.sku || null,
      title: l.name,
      quantity: l.quantity,
      priceMinor: decimalToMinor(l.price, o.currency),
    })),
    // WooCommerce's order names its refunds without their dates: a refund is dated by the first
    // version of the order that names it (the order is modified when it is refunded).
    refunds: Object.fromEntries(o.refunds.map((r) => [r.id, { amountMinor: Math.abs(decimalToMinor(r.total, o.currency)), at: times.date_modified_gmt.toISOString() }])),
    problems,
  };
}

const shopifyInventory = z.object({ inventory_item_id: id, location_id: id, available: z.int().nullable(), updated_at: instant });

export function parseShopifyInventory(body: unknown): StockFacts {
  const o = shopifyInventory.parse(body);
  return { itemId: o.inventory_item_id, locationId: o.location_id, title: null, available: o.available ?? 0, updatedAt: o.updated_at };
}

const wooProduct = z.object({ id, name: z.string(), manage_stock: z.boolean().nullish(), stock_quantity: z.int().nullish(), date_modified_gmt: gmtInstant });

/** A WooCommerce product.updated: stock at the one location WooCommerce has. Null when stock is not managed. */
export function parseWooProductStock(body: unknown): StockFacts | null {
  const o = wooProduct.parse(body);
  if (!o.manage_stock || o.stock_quantity == null) return null;
  return { itemId: o.id, locationId: 'default', title: o.name, available: o.stock_quantity, updatedAt: o.date_modified_gmt };
}

const shopifyProduct = z.object({ id, title: z.string(), variants: z.array(z.object({ title: z.string().nullish(), inventory_item_id: id.nullish() })).default([]) });

/** A products/update: the name of each of its variants' inventory items ("Tent – Green" where variants differ). */
export function parseShopifyProductTitles(body: unknown): Array<{ itemId: string; title: string }> {
  const p = shopifyProduct.parse(body);
  const many = p.variants.length > 1;
  return p.variants.flatMap((v) => (v.inventory_item_id ? [{ itemId: v.inventory_item_id, title: many && v.title && v.title !== 'Default Title' ? `${p.title} – ${v.title}` : p.title }] : []));
}

const shopifyCart = z.object({
  token: z.string().min(1),
  created_at: instant,
  line_items: z.array(z.object({ line_price: decimal.optional(), price: decimal, quantity: z.int().min(0) })),
});

export function parseShopifyCart(body: unknown, currency: string): CartFacts {
  const o = shopifyCart.parse(body);
  const totalMinor = o.line_items.reduce((sum, l) => sum + (l.line_price !== undefined ? decimalToMinor(l.line_price, currency) : decimalToMinor(l.price, currency) * l.quantity), 0);
  return { token: o.token, totalMinor, createdAt: o.created_at };
}

const customerRedact = z.object({ customer: z.object({ id, email: z.string().nullish() }), orders_to_redact: z.array(id).default([]) });
const dataRequest = z.object({ customer: z.object({ id, email: z.string().nullish() }), orders_requested: z.array(id).default([]), data_request: z.object({ id }).optional() });
const shopRedact = z.object({ shop_domain: z.string() });

export function parseCustomerRedact(body: unknown) {
  const o = customerRedact.parse(body);
  return { customerId: o.customer.id, email: o.customer.email ?? null, orderIds: o.orders_to_redact };
}

export function parseDataRequest(body: unknown) {
  const o = dataRequest.parse(body);
  return { customerId: o.customer.id, email: o.customer.email ?? null, orderIds: o.orders_requested, requestId: o.data_request?.id ?? null };
}

export function parseShopRedact(body: unknown) {
  return shopRedact.parse(body);
}
