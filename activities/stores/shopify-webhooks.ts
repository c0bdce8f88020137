import type { OutboundClient } from '../../runtime/outbound-http.ts';
import type { WebhookSubscription } from '../../db/repositories/stores.ts';
import { restTopicOf, SHOPIFY_API_VERSION, SHOPIFY_APP_TOPICS } from '../../domain/stores/shopify-app.ts';
import { StoreApiError, type StoreApiTarget } from './store-api.ts';

const TIMEOUT_MS = 15_000;

const LIST = `{ webhookSubscriptions(first: 100) { nodes { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } } } }`;
const CREATE = `mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`;

type Listed = { webhookSubscriptions?: { nodes?: Array<{ id: string; topic: string; endpoint?: { callbackUrl?: string } }> } };
type Created = { webhookSubscriptionCreate?: { webhookSubscription?: { id: string } | null; userErrors?: Array<{ message: string }> } };

/** The app's subscriptions to us, through the Admin GraphQL API: listed, and the missing ones created. */
export async function ensureShopifyWebhooks(http: OutboundClient, target: StoreApiTarget, callbackUrl: string): Promise<{ subscriptions: WebhookSubscription[]; created: number }> {
  const nodes = ((await shopifyAdmin(http, target, LIST, {})) as Listed).webhookSubscriptions?.nodes ?? [];
  const ours = nodes.filter((n) => n.endpoint?.callbackUrl === callbackUrl);
  const subscriptions: WebhookSubscription[] = ours.map((n) => ({ topic: restTopicOf(n.topic), id: n.id }));
  let created = 0;
  for (const topic of SHOPIFY_APP_TOPICS.filter((t) => !ours.some((n) => n.topic === t))) {
    const made = ((await shopifyAdmin(http, target, CREATE, { topic, webhookSubscription: { callbackUrl, format: 'JSON' } })) as Created).webhookSubscriptionCreate;
    if (!made?.webhookSubscription) throw new StoreApiError(`Shopify refused the ${restTopicOf(topic)} webhook: ${made?.userErrors?.map((e) => e.message).join('; ') || 'no subscription made'}`);
    subscriptions.push({ topic: restTopicOf(topic), id: made.webhookSubscription.id });
    created += 1;
  }
  return { subscriptions, created };
}

async function shopifyAdmin(http: OutboundClient, target: StoreApiTarget, query: string, variables: Record<string, unknown>): Promise<unknown> {
  if (!('accessToken' in target.credentials)) throw new StoreApiError('a Shopify store needs an access token');
  const result = await http.send({
    url: `${target.apiBaseUrl}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': target.credentials.accessToken },
    body: JSON.stringify({ query, variables }),
    timeoutMs: TIMEOUT_MS,
  });
  const text = answerOf(result, 'Shopify');
  const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(`Shopify refused the query: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  return body.data;
}

/** The body of a 2xx answer; a refusal as a StoreApiError with its status, anything else as an Error to retry. */
export function answerOf(result: Awaited<ReturnType<OutboundClient['send']>>, platform: string): string {
  if (result.kind === 'refused') throw new StoreApiError(`the store's address is not allowed: ${result.reason}`);
  if (result.kind !== 'response') throw new Error(result.kind === 'timeout' ? `${platform} did not answer in time` : result.message);
  if (result.statusCode < 200 || result.statusCode > 299) throw new StoreApiError(`${platform} answered ${result.statusCode}`, result.statusCode);
  return result.body;
}
