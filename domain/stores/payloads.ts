/**
 * The platforms' payloads (Shopify REST webhooks and GraphQL Admin nodes, WooCommerce REST v3)
 * parsed into the few facts we keep. One shape per kind, whichever way it arrived, so a backfilled
 * order and the same order from a webhook land on the same row.
 */
import { z } from 'zod';
import { decimalToMinor } from './decimal-money.ts';

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
  /** Whether the order counts toward revenue (not cancelled, voided, refunded, failed or unpaid). */
  countable: boolean;
  totalMinor: number;
  currency: string;
  placedAt: Date;
  updatedAt: Date;
  cartToken: string | null;
  customerExternalId: string | null;
  customerEmail: string | null;
  lines: OrderLineFacts[];
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

const shopifyOrder = z.object({
  id,
  name: z.string(),
  created_at: instant,
  updated_at: instant,
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  total_price: decimal,
  currency: z.string().regex(/^[A-Z]{3}$/),
  cart_token: z.string().nullish(),
  email: z.string().nullish(),
  customer: z.object({ id, email: z.string().nullish() }).nullish(),
  line_items: z.array(z.object({ id, product_id: id.nullish(), sku: z.string().nullish(), title: z.string(), quantity: z.int().min(0), price: decimal })),
});

const UNCOUNTED_SHOPIFY = new Set(['voided', 'refunded']);

export function parseShopifyOrder(body: unknown): OrderFacts {
  const o = shopifyOrder.parse(body);
  const status = o.cancelled_at ? 'cancelled' : (o.financial_status ?? 'pending');
  return {
    externalId: o.id,
    name: o.name,
    status,
    countable: !o.cancelled_at && !UNCOUNTED_SHOPIFY.has(status),
    totalMinor: decimalToMinor(o.total_price, o.currency),
    currency: o.currency,
    placedAt: o.created_at,
    updatedAt: o.updated_at,
    cartToken: o.cart_token ?? null,
    customerExternalId: o.customer?.id ?? null,
    customerEmail: o.customer?.email ?? o.email ?? null,
    lines: o.line_items.map((l) => ({
      lineId: l.id,
      productId: l.product_id ?? null,
      sku: l.sku || null,
      title: l.title,
      quantity: l.quantity,
      priceMinor: decimalToMinor(l.price, o.currency),
    })),
  };
}

const money = z.object({ shopMoney: z.object({ amount: decimal, currencyCode: z.string().regex(/^[A-Z]{3}$/) }) });
const shopifyGraphqlOrder = z.object({
  id,
  name: z.string(),
  createdAt: instant,
  updatedAt: instant,
  cancelledAt: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  currentTotalPriceSet: money,
  customer: z.object({ id, email: z.string().nullish() }).nullish(),
  lineItems: z.object({
    nodes: z.array(z.object({ id, sku: z.string().nullish(), title: z.string(), quantity: z.int().min(0), product: z.object({ id }).nullish(), originalUnitPriceSet: money })),
  }),
});

/** An `orders` node of the GraphQL Admin API, as the backfill reads it. */
export function parseShopifyGraphqlOrder(node: unknown): OrderFacts {
  const o = shopifyGraphqlOrder.parse(node);
  const currency = o.currentTotalPriceSet.shopMoney.currencyCode;
  const status = o.cancelledAt ? 'cancelled' : (o.displayFinancialStatus ?? 'PENDING').toLowerCase();
  return {
    externalId: o.id,
    name: o.name,
    status,
    countable: !o.cancelledAt && !UNCOUNTED_SHOPIFY.has(status),
    totalMinor: decimalToMinor(o.currentTotalPriceSet.shopMoney.amount, currency),
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
  };
}

const wooOrder = z.object({
  id,
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  total: decimal,
  date_created_gmt: gmtInstant,
  date_modified_gmt: gmtInstant,
  customer_id: z.number().int().nullish(),
  billing: z.object({ email: z.string().nullish() }).partial().nullish(),
  cart_hash: z.string().nullish(),
  line_items: z.array(z.object({ id, product_id: id.nullish(), sku: z.string().nullish(), name: z.string(), quantity: z.int().min(0), price: decimal })),
});

/** Paid or about to be: these count; pending, failed, cancelled and refunded do not. */
const COUNTED_WOO = new Set(['processing', 'completed', 'on-hold']);

export function parseWooOrder(body: unknown): OrderFacts {
  const o = wooOrder.parse(body);
  return {
    externalId: o.id,
    name: `#${o.number}`,
    status: o.status,
    countable: COUNTED_WOO.has(o.status),
    totalMinor: decimalToMinor(o.total, o.currency),
    currency: o.currency,
    placedAt: o.date_created_gmt,
    updatedAt: o.date_modified_gmt,
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
