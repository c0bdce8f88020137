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
  const cache = new Map<number | string, { value: Promise<WebhookTarget | null>; expires: number }>();
  const cached = (key: number | string, loader: () => Promise<WebhookTarget | null>) => {
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = loader();
    value.catch(() => cache.delete(key));
    cache.set(key, { value, expires: Date.now() + TTL_MS });
    return value;
  };
  return {
    get(storeId: number): Promise<WebhookTarget | null> {
      return cached(storeId, () => load(ctx, storeId));
    },
    /**
     * The app install on this shop, for the compliance webhooks Shopify sends to the one address in
     * the app's configuration (naming the shop in X-Shopify-Shop-Domain). Should the shop be
     * connected to several organizations, the newest install answers.
     */
    forShop(shopDomain: string): Promise<WebhookTarget | null> {
      return cached(`shop:${shopDomain}`, async () => {
        const store = await ctx.db('stores').where({ platform: 'shopify', domain: shopDomain, webhook_signing: 'app' }).whereNull('uninstalled_at').orderBy('id', 'desc').first('id');
        return store ? load(ctx, Number(store.id)) : null;
      });
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
