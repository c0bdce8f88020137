import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { verifyShopifyHmac, verifyWooSignature } from '../../../domain/signing/store-webhook-hmac.ts';
import { eventKindOf } from '../../../domain/stores/webhook-topics.ts';
import { parseStoreEvent } from '../../../domain/stores/store-event.ts';
import { badRequest, notFound, Problem, sendProblem } from '../../http/problem.ts';
import { webhookTargets, type WebhookTarget, type WebhookTargets } from './store-secrets.ts';
import { storeSignaller } from './store-signaller.ts';
import { storeLiveness } from './store-liveness.ts';
import { webhookInserts } from './webhook-inserts.ts';
import { countWebhookIngest } from '../../../runtime/metrics.ts';

const PLATFORMS = ['shopify', 'woocommerce'] as const;
type Platform = (typeof PLATFORMS)[number];

const HEADERS: Record<Platform, { signature: string; topic: string; webhookId: string; eventId?: string; triggeredAt?: string }> = {
  shopify: { signature: 'x-shopify-hmac-sha256', topic: 'x-shopify-topic', webhookId: 'x-shopify-webhook-id', eventId: 'x-shopify-event-id', triggeredAt: 'x-shopify-triggered-at' },
  woocommerce: { signature: 'x-wc-webhook-signature', topic: 'x-wc-webhook-topic', webhookId: 'x-wc-webhook-delivery-id' },
};

/** The paths Express would match for `/webhooks/:platform/:storeId` (any case, an optional trailing slash, a query). */
const PATH = new RegExp(`^/webhooks/(${PLATFORMS.join('|')})/([^/?]+)/?(?:\\?.*)?$`, 'i');

const routeOf = (platform: Platform) => `/webhooks/${platform}/:storeId`;

/** The route patterns storeWebhookHandler answers, as the request log and the latency histogram name them. */
export const storeDeliveryPaths = PLATFORMS.map(routeOf);

/** What storeWebhookHandler answers, named as Express routes are (the OpenAPI document must cover them too). */
export const storeDeliveryRoutes = storeDeliveryPaths.map((path) => `POST ${path}`);

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * `/webhooks/shopify/compliance`: where the Shopify app's configuration sends the mandatory
 * compliance topics (customers/data_request, customers/redact, shop/redact), which no API can
 * subscribe a shop to; the shop is named in X-Shopify-Shop-Domain.
 */
export const COMPLIANCE_PATH = 'compliance';

/**
 * Shopify and WooCommerce deliveries, `POST /webhooks/:platform/:storeId`, answered before
 * Express: they are the API's hottest path, and its router, body parser and response helpers
 * cost more CPU than the rest of a delivery's answer. (The body is read by the same parser, raw:
 * the signature covers the bytes; errors answer as problemHandler's do.) The delivery is
 * verified, kept once by its webhook id (a redelivery is acknowledged and not processed again),
 * answered 200 at once, and only then handed to the store's actor, which applies it in order
 * with the store's other events (while the actor has an ingest window out, the worker process
 * holding it hears of the delivery from PostgreSQL, and no signal is sent). Answers false for any other request, which is Express's.
 */
export function storeWebhookHandler(ctx: AppContext, targets: WebhookTargets = webhookTargets(ctx)): Handler {
  const signaller = storeSignaller(ctx);
  const liveness = storeLiveness(ctx);
  const inserts = webhookInserts(ctx.db);
  const raw = express.raw({ type: () => true, limit: '2mb' });

  async function deliver(req: IncomingMessage & { body?: unknown }, res: ServerResponse, platform: Platform, storeParam: string): Promise<void> {
    const target = await targetOf(req, platform, storeParam);
    if (!target || target.platform !== platform) throw notFound('No such store.');
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const names = HEADERS[platform];
    const header = (name: string | undefined) => (name ? headerOf(req, name) : undefined);
    const topic = header(names.topic);
    // WooCommerce pings a new webhook's URL once, unsigned, with a form body naming it.
    if (platform === 'woocommerce' && !topic && /^webhook_id=\d+$/.test(body.toString('latin1'))) return sendJson(res, { ok: true });
    const verify = platform === 'shopify' ? verifyShopifyHmac : verifyWooSignature;
    if (!verify(body, header(names.signature), target.secret)) {
      throw new Problem(401, 'bad-signature', 'Bad signature', `${names.signature} must be the base64 HMAC-SHA256 of the raw body with the store's webhook secret.`);
    }
    const text = body.toString('utf8');
    const problem = topic ? malformation(platform, topic, text) : `${names.topic} is missing.`;
    const webhookId = header(names.webhookId) ?? `body-sha256:${createHash('sha256').update(body).digest('hex')}`;
    const kind = topic ? eventKindOf(platform, topic) : null;
    const { id, windowed } = await inserts.record({
      storeId: target.storeId,
      webhookId,
      eventId: header(names.eventId) || null,
      topic: topic ?? '',
      triggeredAt: triggeredAt(header(names.triggeredAt)),
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
    sendJson(res, { ok: true, duplicate: id === null });
    // While the store's actor has an ingest window out, the row's commit told the window's process.
    if (id !== null && kind && !windowed) signaller.signal(target.storeId, id);
  }

  /** The store a delivery is for: by id in the path, or (Shopify's compliance webhooks) by the shop it names. */
  function targetOf(req: IncomingMessage, platform: Platform, storeParam: string): Promise<WebhookTarget | null> {
    if (platform === 'shopify' && storeParam === COMPLIANCE_PATH) {
      const shop = headerOf(req, 'x-shopify-shop-domain')?.toLowerCase();
      return shop ? targets.forShop(shop) : Promise.resolve(null);
    }
    const storeId = parseNumericId(storeParam);
    return storeId === null ? Promise.resolve(null) : targets.get(storeId);
  }

  return (req, res) => {
    const match = req.method === 'POST' ? PATH.exec(req.url ?? '') : null;
    if (!match) return false;
    const platform = match[1].toLowerCase() as Platform;
    // Named as Express names a matched route, for the request's log line and latency histogram.
    (req as { route?: unknown }).route = { path: routeOf(platform) };
    const fail = (error: unknown) => sendProblem(ctx.log, req, res, error);
    raw(req, res, (error?: unknown) => {
      if (error) return fail(error);
      let storeParam: string;
      try {
        storeParam = decodeURIComponent(match[2]);
      } catch (error) {
        return fail(Object.assign(error as Error, { status: 400 })); // as Express's router fails it
      }
      deliver(req, res, platform, storeParam).catch(fail);
    });
    return true;
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
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

function triggeredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
