import type { AppContext } from '../../context.ts';
import { markStoreAlive } from '../../../db/repositories/stores.ts';

/** How stale a store's "last webhook" may be on screen; writes to its row are at most this often. */
const TOUCH_EVERY_MS = 2_000;

/**
 * Notes that a store's webhooks arrive, at most once per TOUCH_EVERY_MS per store and process,
 * after the answer: under a burst the store's row is written a few times, not once per webhook.
 * A failed write is only logged; the next delivery tries again.
 */
export function storeLiveness(ctx: AppContext) {
  const touchedAt = new Map<number, number>();
  return {
    touch(storeId: number): void {
      const now = Date.now();
      if (now - (touchedAt.get(storeId) ?? 0) < TOUCH_EVERY_MS) return;
      touchedAt.set(storeId, now);
      markStoreAlive(ctx.db, storeId, new Date(now)).catch((error) => {
        touchedAt.delete(storeId);
        ctx.log.warn({ err: error, storeId }, 'could not note the store webhook time');
      });
    },
  };
}
