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

/** A period's figures: net sales after discounts and refunds (refunds on the day they were made). */
export interface PeriodFigures {
  netSalesMinor: number;
  /** What refunds took off net sales in the period. */
  refundsMinor: number;
  orders: number;
  units: number;
  /** Orders' value (net sales before this period's refunds) per order. */
  aovMinor: number;
}

/** One bucket of the chart (a day, or an hour "YYYY-MM-DDTHH" of the store's calendar) beside the comparison's bucket at the same place. */
export interface FigurePoint {
  bucket: string;
  netSalesMinor: number;
  orders: number;
  comparison: { bucket: string; netSalesMinor: number; orders: number } | null;
}

/** GET …/stores/:storeId/figures: a range of the store's calendar and its comparison period. */
export interface RangeFigures {
  currency: string;
  timezone: string;
  range: { from: string; to: string };
  compare: 'previous' | 'year' | 'none';
  comparisonRange: { from: string; to: string } | null;
  bucket: 'hour' | 'day';
  current: PeriodFigures;
  comparison: PeriodFigures | null;
  /** Change against the comparison in percent; null without one or where it was zero. */
  change: { netSales: number | null; orders: number | null; aov: number | null; units: number | null };
  points: FigurePoint[];
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
