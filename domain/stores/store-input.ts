import { z } from 'zod';
import { currencySchema } from '../money.ts';
import { timezoneSchema } from '../availability/timezone.ts';
import { shopDomainSchema } from './shopify-app.ts';

/** Alert settings a store starts with unless told otherwise. */
export const STORE_DEFAULTS = { highValueThresholdMinor: 50_000, lowStockThreshold: 5, revenueDropPercent: 50 };

/** What a connected store is: its platform's credentials come in once and are sealed at once. */
const common = {
  name: z.string().trim().min(1).max(120),
  timezone: timezoneSchema,
  currency: currencySchema,
  /** An order at or above this total (minor units) raises a high-value alert. */
  highValueThresholdMinor: z.int().positive().max(Number.MAX_SAFE_INTEGER).default(STORE_DEFAULTS.highValueThresholdMinor),
  /** Stock at or below this (per item unless the item has its own) raises a low-stock alert. */
  lowStockThreshold: z.int().min(0).max(1_000_000).default(STORE_DEFAULTS.lowStockThreshold),
  revenueDropPercent: z.int().min(1).max(100).default(STORE_DEFAULTS.revenueDropPercent),
  /** Where the platform's API answers; defaults from the domain (tests point it at a local fake). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Days of order history to load on connect; capped by the plan. */
  backfillDays: z.int().min(0).max(365).optional(),
};

export const shopifyStoreSchema = z.object({
  platform: z.literal('shopify'),
  shopDomain: shopDomainSchema,
  accessToken: z.string().trim().min(8).max(200),
  /** The key the Shopify admin shows under Settings > Notifications > Webhooks ("signed with"): Shopify signs admin-made webhooks with it. */
  webhookSigningKey: z.string().trim().min(16).max(200),
  ...common,
});

export const wooStoreSchema = z.object({
  platform: z.literal('woocommerce'),
  siteUrl: z.url({ protocol: /^https?$/ }),
  consumerKey: z.string().trim().regex(/^ck_[A-Za-z0-9]{8,64}$/, 'expected a WooCommerce consumer key (ck_…)'),
  consumerSecret: z.string().trim().regex(/^cs_[A-Za-z0-9]{8,64}$/, 'expected a WooCommerce consumer secret (cs_…)'),
  ...common,
});

export const newStoreSchema = z.discriminatedUnion('platform', [shopifyStoreSchema, wooStoreSchema]);
export type NewStoreInput = z.infer<typeof newStoreSchema>;

/** Settings that can change after connecting; credentials are replaced whole. */
export const storeChangesSchema = z
  .object({
    name: common.name,
    timezone: common.timezone,
    highValueThresholdMinor: z.int().positive().max(Number.MAX_SAFE_INTEGER),
    lowStockThreshold: z.int().min(0).max(1_000_000),
    revenueDropPercent: z.int().min(1).max(100),
    accessToken: z.string().trim().min(8).max(200),
    consumerKey: wooStoreSchema.shape.consumerKey,
    consumerSecret: wooStoreSchema.shape.consumerSecret,
  })
  .partial()
  .strict();
export type StoreChanges = z.infer<typeof storeChangesSchema>;

export const backfillRequestSchema = z.object({ days: z.int().min(1).max(365).optional() }).strict();

export const stockThresholdSchema = z.object({ threshold: z.int().min(0).max(1_000_000) }).strict();

export type StoreCredentials = { accessToken: string } | { consumerKey: string; consumerSecret: string };

/** The domain we key the store by, and the API base it answers on unless told otherwise. */
export function storeAddress(input: NewStoreInput): { domain: string; apiBaseUrl: string } {
  if (input.platform === 'shopify') return { domain: input.shopDomain, apiBaseUrl: input.apiBaseUrl ?? `https://${input.shopDomain}` };
  const site = new URL(input.siteUrl);
  const domain = `${site.host}${site.pathname.replace(/\/$/, '')}`;
  return { domain, apiBaseUrl: input.apiBaseUrl ?? `${site.origin}${site.pathname.replace(/\/$/, '')}` };
}

export function credentialsOf(input: NewStoreInput): StoreCredentials {
  return input.platform === 'shopify' ? { accessToken: input.accessToken } : { consumerKey: input.consumerKey, consumerSecret: input.consumerSecret };
}
