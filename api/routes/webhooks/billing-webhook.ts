import express, { Router } from 'express';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../../db/connection.ts';
import { getOrCreateSecret } from '../../../db/repositories/app-secrets.ts';
import { applyBillingEvent } from '../../../db/repositories/stores.ts';
import { verifySignature } from '../../../domain/signing/request-signature.ts';
import { DEFAULT_STORE_PLAN, isStorePlan } from '../../../domain/stores/plans.ts';
import { badRequest, Problem } from '../../http/problem.ts';

/** How far a Stripe-Signature timestamp may be from our clock (Stripe's own default). */
const TOLERANCE_SECONDS = 300;

/** The signing secret the billing provider is configured with; generated once per database, like the app secret. */
export function storeBillingWebhookSecret(db: Db): Promise<string> {
  return getOrCreateSecret(db, 'store_billing_webhook_secret', () => `whsec_${randomBytes(24).toString('base64url')}`);
}

const subscriptionEvent = z.object({
  id: z.string().min(1),
  type: z.enum(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted']),
  data: z.object({
    object: z.object({
      customer: z.string().nullish(),
      status: z.string(),
      metadata: z.object({ organization_id: z.coerce.number().int().positive(), store_plan: z.string().optional() }),
      items: z.object({ data: z.array(z.object({ price: z.object({ lookup_key: z.string().nullish() }) })) }).optional(),
    }),
  }),
});

const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due']);

/**
 * Stripe-style billing events (`Stripe-Signature: t=…,v1=…` over `${t}.${rawBody}`) that set an
 * organization's store plan: the plan is the subscription's `store_plan` metadata or its price's
 * lookup key; a deleted or lapsed subscription falls back to basic. Each event id applies once.
 */
export function billingWebhookRoutes(ctx: AppContext): Router {
  return Router().post('/billing/stripe', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifySignature(req.get('stripe-signature'), body, await storeBillingWebhookSecret(ctx.db), { toleranceSeconds: TOLERANCE_SECONDS, now: new Date() });
    if (!check.ok) throw new Problem(401, 'bad-signature', 'Bad signature', `Stripe-Signature is ${check.reason}.`);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('The event is not JSON.');
    }
    if ((json as { type?: unknown })?.type && !String((json as { type: unknown }).type).startsWith('customer.subscription.')) return void res.json({ received: true, applied: false });
    const event = subscriptionEvent.safeParse(json);
    if (!event.success) throw badRequest('The subscription event is malformed.', { errors: event.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const subscription = event.data.data.object;
    const named = subscription.metadata.store_plan ?? subscription.items?.data[0]?.price.lookup_key ?? null;
    if (!isStorePlan(named)) throw badRequest('The subscription names no store plan (basic, plus or pro) in metadata.store_plan or its price lookup_key.');
    const live = event.data.type !== 'customer.subscription.deleted' && LIVE_STATUSES.has(subscription.status);
    const plan = live ? named : DEFAULT_STORE_PLAN;
    const organization = await ctx.db('organizations').where({ id: subscription.metadata.organization_id }).first('id');
    if (!organization) throw badRequest('metadata.organization_id names no organization.');
    const applied = await applyBillingEvent(ctx.db, { id: event.data.id, type: event.data.type, organizationId: organization.id, plan, customerId: subscription.customer ?? null });
    res.json({ received: true, applied, plan });
  });
}
