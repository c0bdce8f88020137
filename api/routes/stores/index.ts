import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { storeWebhookRoutes } from '../webhooks/store-webhooks.ts';
import { billingWebhookRoutes } from '../webhooks/billing-webhook.ts';
import { webhookTargets } from '../webhooks/store-secrets.ts';
import { storeRoutes } from './store-routes.ts';

/**
 * The store-ingestion surface: `webhooks` (raw body, mount before the JSON parser, no session)
 * and `api` (under /api/v1, after authentication). They share the webhook-secret cache, so a
 * removed store stops being accepted at once.
 */
export function storeRouters(ctx: AppContext): { webhooks: Router; api: Router } {
  const targets = webhookTargets(ctx);
  return {
    webhooks: Router().use(storeWebhookRoutes(ctx, targets), billingWebhookRoutes(ctx)),
    api: storeRoutes(ctx, (storeId) => targets.forget(storeId)),
  };
}
