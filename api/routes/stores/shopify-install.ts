import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, orgAccessOf, requireOrgRole } from '../../auth/middleware.ts';
import { readCookie, SESSION_COOKIE } from '../../auth/cookies.ts';
import { rememberInstallState, takeInstallState } from '../../../db/repositories/store-installs.ts';
import { findStoreByDomain, reinstallStore, storePlanOf } from '../../../db/repositories/stores.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { seal } from '../../../domain/jobs/secret-box.ts';
import { timezoneSchema } from '../../../domain/availability/timezone.ts';
import { authorizeUrl, callbackQuerySchema, CALLBACK_MAX_AGE_SECONDS, installQuerySchema, verifyOAuthQuery } from '../../../domain/stores/shopify-app.ts';
import { storeLimitsOf } from '../../../domain/stores/plans.ts';
import { STORE_DEFAULTS } from '../../../domain/stores/store-input.ts';
import { badRequest, forbidden, Problem } from '../../http/problem.ts';
import { connectStoreRow, startStoreActor } from './connect-store.ts';
import { shopifyInstallCalls } from './shopify-admin.ts';

export const SHOPIFY_CALLBACK_PATH = '/api/v1/stores/shopify/callback';

const notConfigured = () => new Problem(503, 'shopify-app-not-configured', 'Shopify app not configured', 'Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET to install the Shopify app; or connect with a pasted token.');

/**
 * Installing the Shopify app (OAuth, offline token), as Shopify documents it:
 * - `GET /orgs/:orgId/stores/shopify/install?shop=…` remembers a state bound to the person's
 *   session and sends them to the shop's authorize page (302, or `{ authorizeUrl }` for JSON).
 * - `GET /stores/shopify/callback` is where Shopify sends them back: the query's HMAC (app
 *   secret), the state (this session's, unexpired, unused) and the shop are checked, the code is
 *   exchanged for a token, which is sealed, and the store is connected; its actor registers the
 *   webhooks and loads history. A reinstall of a known shop renews its token instead.
 */
export function shopifyInstallRoutes(ctx: AppContext): Router {
  const router = Router();
  const manage = requireOrgRole(ctx, ['owner', 'admin']);
  const calls = shopifyInstallCalls({ allowLoopback: ctx.config.ALLOW_LOOPBACK_TARGETS });

  function app() {
    const { SHOPIFY_API_KEY: clientId, SHOPIFY_API_SECRET: clientSecret } = ctx.config;
    if (!clientId || !clientSecret) throw notConfigured();
    return { clientId, clientSecret };
  }

  /** The session the install is bound to: an API key or bearer token has none to come back in. */
  function sessionOf(req: Request): string {
    currentUser(req);
    const sessionId = req.principal?.kind === 'user' && req.principal.via === 'session' ? readCookie(req, SESSION_COOKIE) : undefined;
    if (!sessionId) throw forbidden('Install the Shopify app from a signed-in browser session.');
    return sessionId;
  }

  router.get('/orgs/:orgId/stores/shopify/install', manage, async (req, res) => {
    const { clientId } = app();
    const sessionId = sessionOf(req);
    const query = installQuerySchema.parse(req.query);
    if (query.apiBaseUrl && !ctx.config.ALLOW_LOOPBACK_TARGETS) throw badRequest('apiBaseUrl is only for tests and demos (ALLOW_LOOPBACK_TARGETS).');
    const adminBase = query.apiBaseUrl?.replace(/\/$/, '') ?? `https://${query.shop}`;
    const state = randomBytes(24).toString('base64url');
    await rememberInstallState(ctx.db, state, sessionId, { organization_id: orgAccessOf(req).organizationId, user_id: currentUser(req).id, shop: query.shop, api_base_url: adminBase });
    const base = ctx.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
    const url = authorizeUrl(adminBase, { clientId, scopes: ctx.config.SHOPIFY_SCOPES, redirectUri: `${base}${SHOPIFY_CALLBACK_PATH}`, state });
    if (req.accepts(['html', 'json']) === 'json') res.json({ authorizeUrl: url });
    else res.redirect(302, url);
  });

  router.get('/stores/shopify/callback', async (req, res) => {
    const secrets = app();
    const sessionId = sessionOf(req);
    const raw = Object.fromEntries(Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string'));
    if (!verifyOAuthQuery(raw, secrets.clientSecret)) throw new Problem(401, 'bad-signature', 'Bad signature', 'The callback is not signed with the app\u2019s client secret.');
    const query = callbackQuerySchema.parse(raw);
    if (Math.abs(Date.now() / 1000 - Number(query.timestamp)) > CALLBACK_MAX_AGE_SECONDS) throw badRequest('The callback is too old; install again.');
    const install = await takeInstallState(ctx.db, query.state, sessionId);
    if (!install) throw badRequest('This install was not started in this session, was already finished, or took too long; install again.', { reason: 'bad-state' });
    if (install.shop !== query.shop) throw badRequest('Shopify came back for another shop than the install asked for.', { reason: 'shop-mismatch' });

    const { accessToken } = await calls.exchangeCode(install.api_base_url, secrets, query.code);
    const shop = await calls.shop(install.api_base_url, accessToken);
    const existing = await findStoreByDomain(ctx.db, install.organization_id, 'shopify', install.shop);
    let storeId: number;
    if (existing) {
      const credentials = seal(await storeKeyring(ctx.db, ctx.config), JSON.stringify({ accessToken }));
      await reinstallStore(ctx.db, existing.id, { credentials_sealed: credentials, api_base_url: install.api_base_url });
      await startStoreActor(ctx, existing.id, storeLimitsOf(await storePlanOf(ctx.db, install.organization_id)).historyDays, true);
      storeId = existing.id;
    } else {
      const { store } = await connectStoreRow(ctx, install.organization_id, {
        platform: 'shopify',
        name: shop.name.slice(0, 120),
        domain: install.shop,
        apiBaseUrl: install.api_base_url,
        credentials: { accessToken },
        webhookSecret: null,
        timezone: timezoneSchema.safeParse(shop.timezone).data ?? 'UTC',
        currency: shop.currency,
        ...STORE_DEFAULTS,
        registerWebhooks: true,
      });
      storeId = store.id;
    }
    res.redirect(302, `/stores/${storeId}`);
  });

  return router;
}
