import type { StoreAlertKind } from './alert-rules.ts';
import type { StoreHealthView } from './store-health.ts';

/** What the stores API answers and `store:<id>` announces (docs/api-stores.md). Times are ISO 8601 UTC. */

export type StorePlatform = 'shopify' | 'woocommerce';

/** What the API shows of a store: never its credentials or webhook secret. */
export interface StoreView {
  id: number;
  organizationId: number;
  platform: StorePlatform;
  name: string;
  domain: string;
  apiBaseUrl: string;
  timezone: string;
  currency: string;
  highValueThresholdMinor: number;
  lowStockThreshold: number;
  revenueDropPercent: number;
  /** How the store was connected: a Shopify app install, or credentials pasted by the merchant. */
  connection: 'shopify_app' | 'pasted';
  uninstalledAt: string | null;
  health: StoreHealthView;

  createdAt: string;
}

export interface DayFigures {
  date: string;
  revenueMinor: number;
  orders: number;
  units: number;
  aovMinor: number;
}

export interface StoreFigures {
  today: DayFigures;
  yesterday: DayFigures;
  /** Today's local hours 0-23 (a DST day has 23 or 25 rows' worth; hours sharing a number are summed). */
  revenueByHour: Array<{ hour: number; revenueMinor: number; orders: number }>;
  openCarts: number;
  lowStock: number;
}

/** What the live feed and the dashboard show of an order: no customer details. */
export interface OrderFeedItem {
  externalId: string;
  name: string;
  status: string;
  totalMinor: number;
  currency: string;
  units: number;
  placedAt: string;
  /** Why the order is kept but not counted, or null. */
  rejectedReason: string | null;
  refundedMinor: number;
}

export interface LowStockItem {
  itemId: string;
  locationId: string;
  title: string | null;
  available: number;
  threshold: number;
}

export interface StoreAlertView {
  id: number;
  storeId: number;
  kind: StoreAlertKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  firedAt: string;
  clearedAt: string | null;
}

export interface BackfillView {
  id: number;
  storeId: number;
  status: 'running' | 'completed' | 'failed';
  days: number;
  pages: number;
  orders: number;
  totalPages: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}
