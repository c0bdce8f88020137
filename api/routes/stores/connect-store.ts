import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { AppContext } from '../../context.ts';
import type { storeIngestionWorkflow } from '../../../workflows/store-ingestion/workflow.ts';
import { storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';
import { countOrgStores, deleteStore, insertStore, storePlanOf, type NewStoreRow, type StoreRow } from '../../../db/repositories/stores.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { seal } from '../../../domain/jobs/secret-box.ts';
import { storeLimitsOf } from '../../../domain/stores/plans.ts';
import { credentialsOf, storeAddress, type NewStoreInput, type StoreCredentials } from '../../../domain/stores/store-input.ts';
import { conflict, planLimit } from '../../http/problem.ts';
import { assertTargetsAllowed, invalidFields } from '../../http/outbound-targets.ts';
import { requireTemporal } from '../../temporal.ts';

/** A store about to be connected, however its credentials came (pasted, or an app install). */
export interface StoreToConnect {
  platform: StoreRow['platform'];
  name: string;
  domain: string;
  apiBaseUrl: string;
  credentials: StoreCredentials;
  /** Null for a Shopify app install: its webhooks are signed with the app's client secret. */
  webhookSecret: string | null;
  timezone: string;
  currency: string;
  highValueThresholdMinor: number;
  lowStockThreshold: number;
  revenueDropPercent: number;
  backfillDays?: number;
  /** The actor registers the store's webhooks with the platform before its backfill. */
  registerWebhooks: boolean;
}

/**
 * Connects a store from pasted credentials. A Shopify store's webhooks are signed with the key its
 * admin shows (pasted here); a WooCommerce store's we register with a secret we generate (answered
 * once, for a merchant who must add a webhook by hand).
 */
export async function connectStore(ctx: AppContext, organizationId: number, input: NewStoreInput): Promise<{ store: StoreRow; webhookSecret: string | null; backfillDays: number }> {
  const address = storeAddress(input);
  // The API address comes from the shop domain or the site URL; pointing it elsewhere is for tests
  // and the demo, whose fake platform answers on 127.0.0.1.
  if (input.apiBaseUrl && !ctx.config.ALLOW_LOOPBACK_TARGETS) {
    throw invalidFields([{ path: ['apiBaseUrl'], message: `not accepted here: the API address is derived from the ${input.platform === 'shopify' ? 'shop domain' : 'site URL'}` }]);
  }
  const addressField = input.apiBaseUrl ? 'apiBaseUrl' : input.platform === 'shopify' ? 'shopDomain' : 'siteUrl';
  assertTargetsAllowed(ctx.config, [{ path: [addressField], url: address.apiBaseUrl }]);
  const generated = input.platform === 'woocommerce' ? randomBytes(32).toString('base64url') : null;
  const connected = await connectStoreRow(ctx, organizationId, {
    ...input,
    ...address,
    credentials: credentialsOf(input),
    webhookSecret: input.platform === 'shopify' ? input.webhookSigningKey : generated!,
    // WooCommerce's webhooks we create ourselves, with our secret; a custom Shopify app's are the merchant's.
    registerWebhooks: input.platform === 'woocommerce',
  });
  return { ...connected, webhookSecret: generated };
}

/**
 * Stores the store: within the plan's store count (checked under a lock on the organization, so
 * two concurrent connects cannot both take the last place), credentials and webhook secret sealed,
 * and the store's actor started with a backfill of the plan's history. Without its actor the store
 * would take webhooks nobody applies: a failed start removes it again.
 */
export async function connectStoreRow(ctx: AppContext, organizationId: number, input: StoreToConnect): Promise<{ store: StoreRow; backfillDays: number }> {
  assertTargetsAllowed(ctx.config, [{ path: ['apiBaseUrl'], url: input.apiBaseUrl }]);
  const keyring = await storeKeyring(ctx.db, ctx.config);
  const { store, backfillDays } = await ctx.db.transaction(async (trx) => {
    await trx('organizations').where({ id: organizationId }).forUpdate().first('id');
    const limits = storeLimitsOf(await storePlanOf(trx, organizationId));
    if ((await countOrgStores(trx, organizationId)) >= limits.stores) {
      throw planLimit('stores', `Your plan allows ${limits.stores} store(s). Upgrade to connect more.`, { limit: limits.stores });
    }
    const row = await insertStore(trx, {
      ...storeRowOf(input, keyring),
      organization_id: organizationId,
    });
    if (!row) throw conflict('This store is already connected to the organization.', { reason: 'store-exists' });
    return { store: row, backfillDays: Math.min(input.backfillDays ?? limits.historyDays, limits.historyDays) };
  });
  try {
    await startStoreActor(ctx, store.id, backfillDays, input.registerWebhooks);
  } catch (error) {
    await deleteStore(ctx.db, store.id);
    throw error;
  }
  return { store, backfillDays };
}

export function storeRowOf(input: StoreToConnect, keyring: Parameters<typeof seal>[0]): Omit<NewStoreRow, 'organization_id'> {
  return {
    platform: input.platform,
    name: input.name,
    domain: input.domain,
    api_base_url: input.apiBaseUrl,
    credentials_sealed: seal(keyring, JSON.stringify(input.credentials)),
    webhook_secret_sealed: input.webhookSecret === null ? null : seal(keyring, input.webhookSecret),
    webhook_signing: input.webhookSecret === null ? 'app' : 'store',
    timezone: input.timezone,
    currency: input.currency,
    high_value_threshold_minor: input.highValueThresholdMinor,
    low_stock_threshold: input.lowStockThreshold,
    revenue_drop_percent: input.revenueDropPercent,
  };
}

/** Starts the store's actor; one already running (a reinstall while it runs) is left as it is. */
export async function startStoreActor(ctx: AppContext, storeId: number, backfillDays: number, registerWebhooks: boolean): Promise<void> {
  const temporal = requireTemporal(ctx);
  await temporal.client.workflow
    .start<typeof storeIngestionWorkflow>('storeIngestionWorkflow', {
      workflowId: storeWorkflowId(storeId),
      taskQueue: temporal.taskQueue,
      args: [{ storeId, initialBackfillDays: backfillDays, ...(registerWebhooks ? { registerWebhooks } : {}) }],
    })
    .catch((error: unknown) => {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    });
}
