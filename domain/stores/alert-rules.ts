/**
 * When an alert fires. Each fires once per condition: the caller keys it (an order, an item at a
 * location, an hour) and the database keeps one open alert per key.
 */
export type StoreAlertKind = 'high_value_order' | 'low_stock' | 'revenue_drop' | 'webhooks_quiet';

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
