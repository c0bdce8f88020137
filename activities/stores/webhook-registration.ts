import { ApplicationFailure } from '@temporalio/common';
import type { OutboundClient } from '../jobs/outbound-request.ts';
import { findLiveStore, recordStoreError, recordWebhookSubscriptions, type WebhookSubscription } from '../../db/repositories/stores.ts';
import { publish } from '../../db/realtime/publish.ts';
import { restTopicOf, SHOPIFY_API_VERSION, SHOPIFY_APP_TOPICS } from '../../domain/stores/shopify-app.ts';
import { noteTokenOutcome, storeApiTarget } from './store-target.ts';
import { StoreApiError, type StoreApiTarget } from './store-api.ts';
import type { StoreActivityDeps } from './types.ts';

const TIMEOUT_MS = 15_000;

const LIST = `{ webhookSubscriptions(first: 100) { nodes { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } } } }`;
const CREATE = `mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`;

/**
 * Makes sure the platform holds the webhooks the store needs, pointed at us: those missing (never
 * made, or deleted since) are created, and what is registered is remembered for the health card.
 * Run by the actor when an app is installed and on each reconcile. Only for stores whose webhooks
 * we manage: a pasted Shopify token's webhooks are the merchant's own.
 */
export async function registerStoreWebhooks(deps: StoreActivityDeps, input: { storeId: number }): Promise<{ created: number; storeDeleted: boolean }> {
  const store = await findLiveStore(deps.db, input.storeId);
  if (!store) return { created: 0, storeDeleted: true };
  if (store.webhook_signing !== 'app') return { created: 0, storeDeleted: false };
  const callbackUrl = `${deps.publicUrl}/webhooks/shopify/${store.id}`;
  try {
    const target = await storeApiTarget(deps, store);
    const listed = await shopifyAdmin(deps.http, target, LIST, {});
    const nodes = (listed as { webhookSubscriptions?: { nodes?: Array<{ id: string; topic: string; endpoint?: { callbackUrl?: string } }> } }).webhookSubscriptions?.nodes ?? [];
    const ours = nodes.filter((n) => n.endpoint?.callbackUrl === callbackUrl);
    const subscriptions: WebhookSubscription[] = ours.map((n) => ({ topic: restTopicOf(n.topic), id: n.id }));
    let created = 0;
    for (const topic of SHOPIFY_APP_TOPICS.filter((t) => !ours.some((n) => n.topic === t))) {
      const answer = (await shopifyAdmin(deps.http, target, CREATE, { topic, webhookSubscription: { callbackUrl, format: 'JSON' } })) as {
        webhookSubscriptionCreate?: { webhookSubscription?: { id: string } | null; userErrors?: Array<{ message: string }> };
      };
      const made = answer.webhookSubscriptionCreate;
      if (!made?.webhookSubscription) throw new RegistrationRefused(`Shopify refused the ${restTopicOf(topic)} webhook: ${made?.userErrors?.map((e) => e.message).join('; ') || 'no subscription made'}`);
      subscriptions.push({ topic: restTopicOf(topic), id: made.webhookSubscription.id });
      created += 1;
    }
    await noteTokenOutcome(deps, store.id, null);
    await deps.db.transaction(async (trx) => {
      const row = await recordWebhookSubscriptions(trx, store.id, subscriptions);
      if (row) await publish(trx, `store:${store.id}`, 'store.updated', { storeId: store.id });
    });
    return { created, storeDeleted: false };
  } catch (error) {
    await recordStoreError(deps.db, store.id, `webhooks: ${(error as Error).message}`);
    await noteTokenOutcome(deps, store.id, error);
    if (error instanceof RegistrationRefused || error instanceof StoreApiError) throw ApplicationFailure.nonRetryable((error as Error).message, 'RegistrationRefused');
    throw error;
  }
}

/** A refusal a retry will not change (bad token, a topic the app may not have). */
class RegistrationRefused extends Error {}

async function shopifyAdmin(http: OutboundClient, target: StoreApiTarget, query: string, variables: Record<string, unknown>): Promise<unknown> {
  if (!('accessToken' in target.credentials)) throw new RegistrationRefused('a Shopify store needs an access token');
  const result = await http.send({
    url: `${target.apiBaseUrl}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': target.credentials.accessToken },
    body: JSON.stringify({ query, variables }),
    timeoutMs: TIMEOUT_MS,
  });
  if (result.kind === 'refused') throw new RegistrationRefused(`the shop's address is not allowed: ${result.reason}`);
  if (result.kind !== 'response') throw new Error(result.kind === 'timeout' ? 'Shopify did not answer in time' : result.message);
  if (result.statusCode === 401 || result.statusCode === 403) throw new StoreApiError(`Shopify answered ${result.statusCode}: the token is not valid`, result.statusCode);
  if (result.statusCode !== 200) throw new Error(`Shopify answered ${result.statusCode}`);
  const body = JSON.parse(result.body) as { data?: unknown; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(`Shopify refused the query: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  return body.data;
}
