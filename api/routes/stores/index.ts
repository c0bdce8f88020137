import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { storeWebhookHandler } from '../webhooks/store-webhooks.ts';
import { billingWebhookRoutes } from '../webhooks/billing-webhook.ts';
import { webhookTargets } from '../webhooks/store-secrets.ts';
import { storeRoutes } from './store-routes.ts';

/**
 * The store-ingestion surface: `deliveries` (the stores' webhooks, a plain node handler to call
 * before Express; false for a request that is not one), `webhooks` (the billing webhook: raw body,
 * mount before the JSON parser, no session) and `api` (under /api/v1, after authentication).
 * Deliveries and the API share the webhook-secret cache, so a removed store stops being accepted at once.
 */
export function storeRouters(ctx: AppContext): { deliveries: ReturnType<typeof storeWebhookHandler>; webhooks: Router; api: Router } {
  const targets = webhookTargets(ctx);
  return {
    deliveries: storeWebhookHandler(ctx, targets),
    webhooks: Router().use(billingWebhookRoutes(ctx)),
    api: storeRoutes(ctx, (storeId) => targets.forget(storeId)),
  };
}
