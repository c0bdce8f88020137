/**
 * Shopify's GraphQL Admin API meters queries in cost points from a leaky bucket and reports the
 * bucket with every answer (`extensions.cost.throttleStatus`). Waiting until the bucket holds
 * the next query's cost avoids a THROTTLED answer instead of retrying after one.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export function waitForCostMs(status: ThrottleStatus, nextCost: number): number {
  if (status.currentlyAvailable >= nextCost) return 0;
  if (status.restoreRate <= 0) return 1_000;
  return Math.ceil(((nextCost - status.currentlyAvailable) / status.restoreRate) * 1_000);
}

/** The spec's own limit on top of the platform's: never more than 2 calls a second per store. */
export const MIN_CALL_SPACING_MS = 500;
