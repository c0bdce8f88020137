import type { OutboundClient } from '../../runtime/outbound-http.ts';
import type { WebhookSubscription } from '../../db/repositories/stores.ts';
import { WOO_TOPICS } from '../../domain/stores/webhook-topics.ts';
import { StoreApiError, type StoreApiTarget } from './store-api.ts';
import { answerOf } from './shopify-webhooks.ts';

const TIMEOUT_MS = 15_000;

interface WooWebhook {
  id: number;
  topic: string;
  status: 'active' | 'paused' | 'disabled';
  delivery_url: string;
}

/**
 * Our webhooks on a WooCommerce site, through REST v3 (`/wp-json/wc/v3/webhooks`), signed with
 * the secret we chose: a missing topic is created, and one WooCommerce paused or disabled (it
 * disables a hook after repeated failed deliveries) is set active again.
 */
export async function ensureWooWebhooks(http: OutboundClient, target: StoreApiTarget, deliveryUrl: string, secret: string): Promise<{ subscriptions: WebhookSubscription[]; created: number }> {
  if (!('consumerKey' in target.credentials)) throw new StoreApiError('a WooCommerce store needs a consumer key and secret');
  const auth = `Basic ${Buffer.from(`${target.credentials.consumerKey}:${target.credentials.consumerSecret}`).toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const result = await http.send({
      url: `${target.apiBaseUrl}/wp-json/wc/v3/webhooks${path}`,
      method,
      headers: { authorization: auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : null,
      timeoutMs: TIMEOUT_MS,
    });
    return JSON.parse(answerOf(result, 'WooCommerce')) as unknown;
  };
  const ours = ((await call('GET', '?per_page=100')) as WooWebhook[]).filter((w) => w.delivery_url === deliveryUrl);
  const subscriptions: WebhookSubscription[] = [];
  let created = 0;
  for (const topic of Object.keys(WOO_TOPICS)) {
    const held = ours.find((w) => w.topic === topic);
    if (held?.status === 'active') {
      subscriptions.push({ topic, id: String(held.id) });
      continue;
    }
    const made = held
      ? ((await call('PUT', `/${held.id}`, { status: 'active' })) as WooWebhook)
      : ((await call('POST', '', { name: `Pulseboard ${topic}`, topic, delivery_url: deliveryUrl, secret, status: 'active' })) as WooWebhook);
    subscriptions.push({ topic, id: String(made.id) });
    created += 1;
  }
  return { subscriptions, created };
}
