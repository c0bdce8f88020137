/** The stores API (docs/api-stores.md): connected stores, their dashboard and the cross-store overview. */
import { http } from './http';
import type { Id } from './types';
import type { StoreHealthView } from '../../../domain/contract.ts';

export type Platform = 'shopify' | 'woocommerce';

export type StoreHealth = StoreHealthView;

export interface Store {
  id: Id;
  organizationId: Id;
  platform: Platform;
  name: string;
  domain: string;
  timezone: string;
  currency: string;
  highValueThresholdMinor: number;
  lowStockThreshold: number;
  revenueDropPercent: number;
  connection: 'shopify_app' | 'pasted';
  uninstalledAt: string | null;
  health: StoreHealth;
  createdAt: string;
}

export interface Day {
  date: string;
  revenueMinor: number;
  orders: number;
  units: number;
  aovMinor: number;
}

export interface StoreFigures {
  today: Day;
  yesterday: Day;
  revenueByHour: Array<{ hour: number; revenueMinor: number; orders: number }>;
  openCarts: number;
  lowStock: number;
}

/** What the feed shows of an order: no customer details. */
export interface OrderFeedItem {
  externalId: string;
  name: string;
  status: string;
  totalMinor: number;
  currency: string;
  units: number;
  placedAt: string;
  /** Kept but not counted, and why (a negative total, another currency, an impossible date, no line items). */
  rejectedReason: string | null;
  refundedMinor: number;
  storeId?: Id;
}

export interface LowStockItem {
  itemId: string;
  locationId: string;
  title: string | null;
  available: number;
  threshold: number;
}

export interface StoreAlert {
  id: Id;
  storeId: Id;
  kind: 'high_value_order' | 'low_stock' | 'revenue_drop' | 'webhooks_quiet';
  title: string;
  body: string;
  firedAt: string;
  clearedAt: string | null;
}

export interface Backfill {
  id: Id;
  storeId: Id;
  status: 'running' | 'completed' | 'failed';
  days: number;
  pages: number;
  orders: number;
  totalPages: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface StoreDashboard {
  store: Store;
  figures: StoreFigures;
  recentOrders: OrderFeedItem[];
  rejectedOrders: OrderFeedItem[];
  /** Best sellers of the last 30 days, by title. */
  topProducts: Array<{ title: string; units: number; salesMinor: number }>;
  lowStock: LowStockItem[];
  alerts: StoreAlert[];
  backfill: Backfill | null;
  health: StoreHealth & { events: Record<string, number> };
}

export interface StoresOverview {
  stores: Array<{ store: Store; figures: StoreFigures }>;
  totals: Array<{ currency: string; today: { revenueMinor: number; orders: number; aovMinor: number }; yesterday: { revenueMinor: number; orders: number; aovMinor: number } }>;
  recentOrders: OrderFeedItem[];
  alerts: StoreAlert[];
}

export type ConnectStoreInput = {
  name: string;
  timezone: string;
  currency: string;
} & ({ platform: 'shopify'; shopDomain: string; accessToken: string; webhookSigningKey: string } | { platform: 'woocommerce'; siteUrl: string; consumerKey: string; consumerSecret: string });

export interface ConnectedStore {
  store: Store;
  /** Only for WooCommerce: the secret we made, shown once. */
  webhookSecret?: string;
  webhookUrl: string;
  backfillDays: number;
}

const base = (orgId: Id) => `/orgs/${orgId}/stores`;

export const storesApi = {
  list: async (orgId: Id) => (await http.get<{ stores: Store[] }>(base(orgId))).stores,
  connect: (orgId: Id, input: ConnectStoreInput) => http.post<ConnectedStore>(base(orgId), input),
  /** Where the browser goes to install the Shopify app: the API sends it on to the shop's authorize page. */
  shopifyInstallUrl: (orgId: Id, shop: string) => `/api/v1${base(orgId)}/shopify/install?${new URLSearchParams({ shop })}`,
  /** Loads the last `days` of history again (a failed load's Retry). */
  requestBackfill: (orgId: Id, storeId: Id, days: number) => http.post<{ requested: boolean; days: number }>(`${base(orgId)}/${storeId}/backfills`, { days }),
  remove: (orgId: Id, storeId: Id) => http.delete(`${base(orgId)}/${storeId}`),
  dashboard: (orgId: Id, storeId: Id) => http.get<StoreDashboard>(`${base(orgId)}/${storeId}/dashboard`),
  overview: (orgId: Id) => http.get<StoresOverview>(`${base(orgId)}/overview`),
};
