import { ApplicationFailure } from '@temporalio/common';
import { findLiveStore, recordStoreError, recordWebhookSubscriptions, type StoreRow } from '../../db/repositories/stores.ts';
import { open } from '../../domain/jobs/secret-box.ts';
import { publish } from '../../db/realtime/publish.ts';
import { noteTokenOutcome, storeApiTarget } from './store-target.ts';
import { StoreApiError } from './store-api.ts';
import { ensureShopifyWebhooks } from './shopify-webhooks.ts';
import { ensureWooWebhooks } from './woo-webhooks.ts';
import type { StoreActivityDeps } from './types.ts';

/**
 * Makes sure the platform holds the webhooks the store needs, pointed at us: those missing (never
 * made, deleted since, or disabled by WooCommerce after failed deliveries) are made again, and
 * what is registered is remembered for the health card. Run by the actor when a store is
 * connected and on each reconcile. Only where we manage the webhooks: a Shopify app install, and
 * WooCommerce (whose webhooks carry our own secret); a pasted Shopify token's are the merchant's.
 */
export async function registerStoreWebhooks(deps: StoreActivityDeps, input: { storeId: number }): Promise<{ created: number; storeDeleted: boolean }> {
  const store = await findLiveStore(deps.db, input.storeId);
  if (!store) return { created: 0, storeDeleted: true };
  if (!managesWebhooks(store)) return { created: 0, storeDeleted: false };
  const deliveryUrl = `${deps.publicUrl}/webhooks/${store.platform}/${store.id}`;
  try {
    const target = await storeApiTarget(deps, store);
    const { subscriptions, created } =
      store.platform === 'shopify'
        ? await ensureShopifyWebhooks(deps.http, target, deliveryUrl)
        : await ensureWooWebhooks(deps.http, target, deliveryUrl, open(await deps.keyring(), store.webhook_secret_sealed!));
    await noteTokenOutcome(deps, store.id, null);
    await deps.db.transaction(async (trx) => {
      if (await recordWebhookSubscriptions(trx, store.id, subscriptions)) await publish(trx, `store:${store.id}`, 'store.updated', { storeId: store.id });
    });
    return { created, storeDeleted: false };
  } catch (error) {
    await recordStoreError(deps.db, store.id, `webhooks: ${(error as Error).message}`);
    await noteTokenOutcome(deps, store.id, error);
    // A refusal (bad credentials, a topic the app may not have) will not pass on retry.
    if (error instanceof StoreApiError && !(error.status !== undefined && error.status >= 500)) throw ApplicationFailure.nonRetryable((error as Error).message, 'StoreApiError');
    throw error;
  }
}

const managesWebhooks = (store: StoreRow) => store.platform === 'woocommerce' || store.webhook_signing === 'app';
