import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { storeIngestionWorkflow } from '../../../workflows/store-ingestion/workflow.ts';
import { storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';
import { countOrgStores, deleteStore, insertStore, storePlanOf, type StoreRow } from '../../../db/repositories/stores.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { seal } from '../../../domain/jobs/secret-box.ts';
import { storeLimitsOf } from '../../../domain/stores/plans.ts';
import { credentialsOf, storeAddress, type NewStoreInput } from '../../../domain/stores/store-input.ts';
import { conflict, planLimit } from '../../http/problem.ts';
import { assertTargetsAllowed, invalidFields } from '../../http/outbound-targets.ts';
import { requireTemporal } from '../../temporal.ts';

/**
 * Connects a store: within the plan's store count (checked under a lock on the organization, so
 * two concurrent connects cannot both take the last place), credentials sealed, a webhook secret
 * generated (answered once, never again), and the store's actor started with a backfill of the
 * plan's history. Without its actor the store would take webhooks nobody applies: a failed start
 * removes it again.
 */
export async function connectStore(ctx: AppContext, organizationId: number, input: NewStoreInput): Promise<{ store: StoreRow; webhookSecret: string; backfillDays: number }> {
  const temporal = requireTemporal(ctx);
  const address = storeAddress(input);
  // The API address comes from the shop domain or the site URL; pointing it elsewhere is for tests
  // and the demo, whose fake platform answers on 127.0.0.1.
  if (input.apiBaseUrl && !ctx.config.ALLOW_LOOPBACK_TARGETS) {
    throw invalidFields([{ path: ['apiBaseUrl'], message: `not accepted here: the API address is derived from the ${input.platform === 'shopify' ? 'shop domain' : 'site URL'}` }]);
  }
  const addressField = input.apiBaseUrl ? 'apiBaseUrl' : input.platform === 'shopify' ? 'shopDomain' : 'siteUrl';
  assertTargetsAllowed(ctx.config, [{ path: [addressField], url: address.apiBaseUrl }]);
  const keyring = await storeKeyring(ctx.db, ctx.config);
  const webhookSecret = randomBytes(32).toString('base64url');
  const { store, backfillDays } = await ctx.db.transaction(async (trx) => {
    await trx('organizations').where({ id: organizationId }).forUpdate().first('id');
    const limits = storeLimitsOf(await storePlanOf(trx, organizationId));
    if ((await countOrgStores(trx, organizationId)) >= limits.stores) {
      throw planLimit('stores', `Your plan allows ${limits.stores} store(s). Upgrade to connect more.`, { limit: limits.stores });
    }
    const row = await insertStore(trx, {
      organization_id: organizationId,
      platform: input.platform,
      name: input.name,
      domain: address.domain,
      api_base_url: address.apiBaseUrl,
      credentials_sealed: seal(keyring, JSON.stringify(credentialsOf(input))),
      webhook_secret_sealed: seal(keyring, webhookSecret),
      timezone: input.timezone,
      currency: input.currency,
      high_value_threshold_minor: input.highValueThresholdMinor,
      low_stock_threshold: input.lowStockThreshold,
      revenue_drop_percent: input.revenueDropPercent,
    });
    if (!row) throw conflict('This store is already connected to the organization.', { reason: 'store-exists' });
    return { store: row, backfillDays: Math.min(input.backfillDays ?? limits.historyDays, limits.historyDays) };
  });
  try {
    await temporal.client.workflow.start<typeof storeIngestionWorkflow>('storeIngestionWorkflow', {
      workflowId: storeWorkflowId(store.id),
      taskQueue: temporal.taskQueue,
      args: [{ storeId: store.id, initialBackfillDays: backfillDays }],
    });
  } catch (error) {
    await deleteStore(ctx.db, store.id);
    throw error;
  }
  return { store, webhookSecret, backfillDays };
}
