import type { AppContext } from '../../context.ts';
import { findStore } from '../../../db/repositories/stores.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { open } from '../../../domain/jobs/secret-box.ts';

export interface WebhookTarget {
  storeId: number;
  platform: 'shopify' | 'woocommerce';
  secret: string;
}

const TTL_MS = 30_000;

/**
 * Each store's webhook secret, opened once and kept for a short while: the acknowledgement path
 * should not decrypt on every delivery. A deleted store is forgotten here at once; another API
 * process notices within TTL_MS (its inserts then fail on the missing store and answer 404).
 */
export function webhookTargets(ctx: AppContext) {
  const cache = new Map<number, { value: Promise<WebhookTarget | null>; expires: number }>();
  return {
    get(storeId: number): Promise<WebhookTarget | null> {
      const hit = cache.get(storeId);
      if (hit && hit.expires > Date.now()) return hit.value;
      const value = load(ctx, storeId);
      value.catch(() => cache.delete(storeId));
      cache.set(storeId, { value, expires: Date.now() + TTL_MS });
      return value;
    },
    forget(storeId: number): void {
      cache.delete(storeId);
    },
  };
}

/**
 * An uninstalled app's store takes no more webhooks. An app install's are signed with the app's
 * client secret (none configured: nothing can be verified, so nothing is taken).
 */
async function load(ctx: AppContext, storeId: number): Promise<WebhookTarget | null> {
  const store = await findStore(ctx.db, storeId);
  if (!store || store.uninstalled_at) return null;
  const secret = store.webhook_secret_sealed ? open(await storeKeyring(ctx.db, ctx.config), store.webhook_secret_sealed) : ctx.config.SHOPIFY_API_SECRET;
  return secret ? { storeId, platform: store.platform, secret } : null;
}

export type WebhookTargets = ReturnType<typeof webhookTargets>;
