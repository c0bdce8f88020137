/**
 * When an alert fires. Each fires once per condition: the caller keys it (an order, a product,
 * the store's revenue, its webhooks, its history load) and the database keeps one open alert per
 * key until the condition clears; the next occurrence then alerts again.
 */
export const STORE_ALERT_KINDS = ['low_stock', 'revenue_drop', 'webhooks_quiet', 'backfill_failed', 'high_value_order'] as const;
export type StoreAlertKind = (typeof STORE_ALERT_KINDS)[number];

/** Kinds that are one-off events, not conditions: a high-value order never "clears". */
export function alertClears(kind: StoreAlertKind): boolean {
  return kind !== 'high_value_order';
}

export function isHighValue(totalMinor: number, thresholdMinor: number): boolean {
  return totalMinor >= thresholdMinor;
}

export function isLowStock(available: number, threshold: number): boolean {
  return available <= threshold;
}

/**
 * A drop is revenue below (100 - percent)% of the same hour last week. A week-ago hour under
 * `minimumBaselineMinor` is too thin to compare against (one order more or less is not a trend).
 */
export function isRevenueDrop(currentMinor: number, lastWeekMinor: number, percent: number, minimumBaselineMinor: number): boolean {
  return lastWeekMinor >= minimumBaselineMinor && currentMinor * 100 < lastWeekMinor * (100 - percent);
}

/** With no webhook for this long while reconcile finds orders, WooCommerce has likely disabled the hook. */
export const WEBHOOKS_QUIET_AFTER_MS = 60 * 60_000;

export function webhooksLookQuiet(lastWebhookAt: Date | null, ordersMissedByWebhooks: number, now: Date): boolean {
  return ordersMissedByWebhooks > 0 && (lastWebhookAt === null || now.getTime() - lastWebhookAt.getTime() >= WEBHOOKS_QUIET_AFTER_MS);
}
