/** What each platform's webhook topic means to us; anything else is acknowledged and ignored. */
export type StoreEventKind = 'app_uninstalled' | 'refund' | 'product_titles' | 'order' | 'inventory' | 'cart' | 'product_stock' | 'gdpr_data_request' | 'gdpr_customer_redact' | 'gdpr_shop_redact';

export const SHOPIFY_TOPICS: Record<string, StoreEventKind> = {
  'orders/create': 'order',
  'orders/updated': 'order',
  'refunds/create': 'refund',
  'products/update': 'product_titles',
  'inventory_levels/update': 'inventory',
  'carts/create': 'cart',
  'customers/data_request': 'gdpr_data_request',
  'customers/redact': 'gdpr_customer_redact',
  'shop/redact': 'gdpr_shop_redact',
  'app/uninstalled': 'app_uninstalled',
};

export const WOO_TOPICS: Record<string, StoreEventKind> = {
  'order.created': 'order',
  'order.updated': 'order',
  'product.updated': 'product_stock',
};

export function eventKindOf(platform: 'shopify' | 'woocommerce', topic: string): StoreEventKind | null {
  return (platform === 'shopify' ? SHOPIFY_TOPICS : WOO_TOPICS)[topic] ?? null;
}
