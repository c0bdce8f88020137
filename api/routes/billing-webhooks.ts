import express, { Router } from 'express';
import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { billingEventSchema, planAfter } from '../../domain/jobs/billing-event.ts';
import { hmacSha256, sameBytes } from '../../domain/signing/hmac.ts';
import { appSecretOf } from '../../db/repositories/job-signing-secrets.ts';
import { findOrganization } from '../../db/repositories/organizations.ts';
import { applySubscription } from '../../db/repositories/jobs-billing.ts';
import { badRequest, notFound, Problem, validationProblem } from '../http/problem.ts';

/**
 * The secret Lemon Squeezy signs with: LEMONSQUEEZY_WEBHOOK_SECRET (the one its dashboard shows),
 * or, on a dev install without it, one derived from the app secret.
 */
export async function lemonSqueezySecret(ctx: Pick<AppContext, 'db' | 'config'>): Promise<string> {
  if (ctx.config.LEMONSQUEEZY_WEBHOOK_SECRET) return ctx.config.LEMONSQUEEZY_WEBHOOK_SECRET;
  return createHmac('sha256', await appSecretOf(ctx.db, ctx.config)).update('lemonsqueezy-webhook').digest('hex');
}

/**
 * POST /api/v1/billing/lemonsqueezy: subscription events switch the organization named in
 * `meta.custom_data.organization_id` between free and pro. Mounted before the JSON parser:
 * the signature (X-Signature, hex HMAC-SHA256) is over the raw body bytes.
 */
export function billingWebhookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/billing/lemonsqueezy', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const given = /^[0-9a-f]{64}$/i.test(req.get('x-signature') ?? '') ? Buffer.from(req.get('x-signature')!, 'hex') : null;
    if (!given || !sameBytes(given, hmacSha256(await lemonSqueezySecret(ctx), raw))) {
      throw new Problem(401, 'bad-signature', 'Bad signature', 'X-Signature must be the hex HMAC-SHA256 of the raw body with the webhook secret.');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw badRequest('The request body is not valid JSON.');
    }
    const parsed = billingEventSchema.safeParse(json);
    if (!parsed.success) throw validationProblem(parsed.error);
    const event = parsed.data;
    const plan = planAfter(event);
    if (!plan) return void res.json({ applied: false, reason: `event ${event.meta.event_name} does not change plans` });
    const organizationId = event.meta.custom_data.organization_id;
    if (!(await findOrganization(ctx.db, organizationId))) throw notFound('No such organization.');
    const applied = await applySubscription(ctx.db, {
      organizationId,
      subscriptionId: event.data.id,
      status: event.data.attributes.status,
      plan,
      providerUpdatedAt: new Date(event.data.attributes.updated_at),
    });
    res.json({ applied, plan: applied ? plan : undefined });
  });
  return router;
}
