import express, { Router, type Request } from 'express';
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { verifyShopifyHmac, verifyWooSignature } from '../../../domain/signing/store-webhook-hmac.ts';
import { eventKindOf } from '../../../domain/stores/webhook-topics.ts';
import { parseStoreEvent } from '../../../domain/stores/store-event.ts';
import { badRequest, notFound, Problem } from '../../http/problem.ts';
import { webhookTargets, type WebhookTargets } from './store-secrets.ts';
import { storeSignaller } from './store-signaller.ts';
import { storeLiveness } from './store-liveness.ts';
import { webhookInserts } from './webhook-inserts.ts';
import { countWebhookIngest } from '../../../runtime/metrics.ts';

type Platform = 'shopify' | 'woocommerce';

const HEADERS: Record<Platform, { signature: string; topic: string; webhookId: string; eventId?: string; triggeredAt?: string }> = {
  shopify: { signature: 'x-shopify-hmac-sha256', topic: 'x-shopify-topic', webhookId: 'x-shopify-webhook-id', eventId: 'x-shopify-event-id', triggeredAt: 'x-shopify-triggered-at' },
  woocommerce: { signature: 'x-wc-webhook-signature', topic: 'x-wc-webhook-topic', webhookId: 'x-wc-webhook-delivery-id' },
};

/**
 * Shopify and WooCommerce deliveries. Mounted before the global JSON parser: the signature covers
 * the raw bytes. The delivery is verified, kept once by its webhook id (a redelivery is
 * acknowledged and not processed again), answered 200 at once, and only then handed to the
 * store's actor, which applies it in order with the store's other events.
 */
export function storeWebhookRoutes(ctx: AppContext, targets: WebhookTargets = webhookTargets(ctx)): Router {
  const signaller = storeSignaller(ctx);
  const liveness = storeLiveness(ctx);
  const inserts = webhookInserts(ctx.db);
  const raw = express.raw({ type: () => true, limit: '2mb' });
  const router = Router();
  for (const platform of ['shopify', 'woocommerce'] as const) {
    router.post(`/${platform}/:storeId`, raw, async (req, res) => {
      const storeId = parseNumericId(req.params.storeId);
      const target = storeId === null ? null : await targets.get(storeId);
      if (!target || target.platform !== platform) throw notFound('No such store.');
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const names = HEADERS[platform];
      const topic = req.get(names.topic);
      // WooCommerce pings a new webhook's URL once, unsigned, with a form body naming it.
      if (platform === 'woocommerce' && !topic && /^webhook_id=\d+$/.test(body.toString('latin1'))) return void res.json({ ok: true });
      const verify = platform === 'shopify' ? verifyShopifyHmac : verifyWooSignature;
      if (!verify(body, req.get(names.signature), target.secret)) {
        throw new Problem(401, 'bad-signature', 'Bad signature', `${names.signature} must be the base64 HMAC-SHA256 of the raw body with the store's webhook secret.`);
      }
      const text = body.toString('utf8');
      const problem = topic ? malformation(platform, topic, text) : `${names.topic} is missing.`;
      const webhookId = req.get(names.webhookId) ?? `body-sha256:${createHash('sha256').update(body).digest('hex')}`;
      const kind = topic ? eventKindOf(platform, topic) : null;
      const { id } = await inserts.record({
        storeId: target.storeId,
        webhookId,
        eventId: (names.eventId && req.get(names.eventId)) || null,
        topic: topic ?? '',
        triggeredAt: triggeredAt(req, names.triggeredAt),
        body: text,
        status: problem ? 'malformed' : kind ? 'received' : 'ignored',
        error: problem ?? undefined,
      }).catch((error: { code?: string }) => {
        if (error.code === '23503') throw notFound('No such store.'); // deleted since we cached its secret
        throw error;
      });
      liveness.touch(target.storeId);
      if (problem) throw badRequest(`The delivery is malformed: ${problem}`, { stored: id !== null });
      countWebhookIngest(platform, id === null ? 'duplicate' : kind ? 'received' : 'ignored');
      res.json({ ok: true, duplicate: id === null });
      if (id !== null && kind) signaller.signal(target.storeId, id);
    });
  }
  return router;
}

/** Why the payload cannot be applied, or null; checked at the door so a bad one is refused (and kept). */
function malformation(platform: Platform, topic: string, text: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'the body is not JSON.';
  }
  try {
    parseStoreEvent(platform, topic, json, 'USD');
    return null;
  } catch (error) {
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    return issues ? issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') : (error as Error).message;
  }
}

function triggeredAt(req: Request, header: string | undefined): Date | null {
  const value = header ? req.get(header) : undefined;
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
