/** The stores API (docs/api-stores.md): connected stores, their dashboard and the cross-store overview. */
import { http } from './http';
import type { Id } from './types';
import type {
  BackfillView as Backfill,
  DayFigures as Day,
  LowStockItem,
  OrderFeedItem as OrderFeedView,
  StoreAlertView as StoreAlert,
  StoreFigures,
  StoreHealthView as StoreHealth,
  StorePlatform as Platform,
  StoreView as Store,
} from '../../../domain/contract.ts';

export type { Backfill, Day, LowStockItem, Platform, Store, StoreAlert, StoreFigures, StoreHealth };

/** An order of the feed; the overview's feed, across stores, also says whose it is. */
export type OrderFeedItem = OrderFeedView & { storeId?: Id };

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
