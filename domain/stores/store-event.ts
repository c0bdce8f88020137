import {
  parseCustomerRedact,
  parseDataRequest,
  parseShopifyCart,
  parseShopifyInventory,
  parseShopifyOrder,
  parseShopifyProductTitles,
  parseShopifyRefund,
  parseShopRedact,
  parseWooOrder,
  parseWooProductStock,
  type CartFacts,
  type OrderFacts,
  type StockFacts,
} from './payloads.ts';
import { eventKindOf } from './webhook-topics.ts';

/** A delivery's payload as the facts it carries; the route checks it parses, the actor applies it. */
export type StoreEvent =
  | { kind: 'order'; order: OrderFacts }
  | { kind: 'refund'; refund: ReturnType<typeof parseShopifyRefund> }
  | { kind: 'product_titles'; items: ReturnType<typeof parseShopifyProductTitles> }
  /** Null: a WooCommerce product whose stock is not managed. */
  | { kind: 'stock'; stock: StockFacts | null }
  | { kind: 'cart'; cart: CartFacts }
  | { kind: 'gdpr_data_request'; request: ReturnType<typeof parseDataRequest> }
  | { kind: 'gdpr_customer_redact'; request: ReturnType<typeof parseCustomerRedact> }
  | { kind: 'gdpr_shop_redact' }
  | { kind: 'app_uninstalled' };

/** Null for a topic we do not subscribe to; throws (a ZodError) when the payload lacks what we need. */
export function parseStoreEvent(platform: 'shopify' | 'woocommerce', topic: string, body: unknown, currency: string): StoreEvent | null {
  switch (eventKindOf(platform, topic)) {
    case null:
      return null;
    case 'order':
      return { kind: 'order', order: platform === 'shopify' ? parseShopifyOrder(body) : parseWooOrder(body) };
    case 'refund':
      return { kind: 'refund', refund: parseShopifyRefund(body, currency) };
    case 'product_titles':
      return { kind: 'product_titles', items: parseShopifyProductTitles(body) };
    case 'inventory':
      return { kind: 'stock', stock: parseShopifyInventory(body) };
    case 'product_stock':
      return { kind: 'stock', stock: parseWooProductStock(body) };
    case 'cart':
      return { kind: 'cart', cart: parseShopifyCart(body, currency) };
    case 'gdpr_data_request':
      return { kind: 'gdpr_data_request', request: parseDataRequest(body) };
    case 'gdpr_customer_redact':
      return { kind: 'gdpr_customer_redact', request: parseCustomerRedact(body) };
    case 'gdpr_shop_redact':
      parseShopRedact(body);
      return { kind: 'gdpr_shop_redact' };
    case 'app_uninstalled':
      return { kind: 'app_uninstalled' };
  }
}
