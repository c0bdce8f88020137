import express, { type Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppContext } from './context.ts';
import { notFoundHandler, problemHandler } from './http/problem.ts';
import { rejectControlCharacters } from './http/plain-text.ts';
import { securityHeaders } from './http/security-headers.ts';
import { healthHandler } from './routes/health.ts';
import { authenticate, csrfProtection, refuseQueryApiKey } from './auth/middleware.ts';
import { platformRoutes } from './routes/platform.ts';
import { bookingRoutes } from './routes/bookings/routes.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { devOutboxRoutes } from './routes/dev-outbox.ts';
import { catalogRoutes } from './routes/catalog/index.ts';
import { calendarWebhookRoutes } from './routes/calendar-webhooks.ts';
import { storeRouters } from './routes/stores/index.ts';
import { storeDeliveryPaths } from './routes/webhooks/store-webhooks.ts';
import { boardApiRoutes } from './routes/board/index.ts';
import { billingWebhookRoutes } from './routes/billing-webhooks.ts';
import { jobRoutes } from './routes/jobs/routes.ts';
import { adminWorkflowRoutes } from './routes/admin-workflows.ts';
import { metricsHandler } from './routes/metrics.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { withRequestContext } from '../runtime/request-id.ts';
import { temporalOutageHandler } from './temporal.ts';

const WEB_DIST = fileURLToPath(new URL('../web-vue/dist/', import.meta.url));

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The whole HTTP surface: /health, /metrics and the stores' webhook deliveries answered directly,
 * everything else by Express; every request gets an id.
 */
export function createApp(ctx: AppContext): RequestListener {
  const health = healthHandler(ctx);
  const metrics = metricsHandler();
  const stores = storeRouters(ctx);
  const app = createExpressApp(ctx, stores);
  const listener: RequestListener = (req, res) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.url === '/health') health(req, res);
    else if (req.method === 'GET' && req.url === '/metrics') metrics(req, res);
    else if (!stores.deliveries(req, res)) app(req, res);
  };
  return withRequestContext(ctx.log, listener, { quiet: new Set(storeDeliveryPaths) });
}

function createExpressApp(ctx: AppContext, stores: ReturnType<typeof storeRouters>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(ctx.config.NODE_ENV === 'production'));
  app.set('trust proxy', ctx.config.TRUST_PROXY);
  app.use('/api/v1', calendarWebhookRoutes(ctx)); // before express.json: it verifies a signature over the raw body
  app.use('/webhooks', stores.webhooks); // before express.json: the billing webhook is signed over the raw body
  app.use('/api/v1', billingWebhookRoutes(ctx)); // before express.json: Lemon Squeezy signs the raw body
  app.use(express.json({ limit: '1mb' }));
  app.use('/api', rejectControlCharacters);
  app.use('/api', refuseQueryApiKey, authenticate(ctx), csrfProtection(ctx));
  app.use('/api/v1', platformRoutes(ctx));
  app.use('/api/v1', bookingRoutes(ctx), notificationRoutes(ctx), devOutboxRoutes(ctx));
  app.use('/api/v1', catalogRoutes(ctx));
  app.use('/api/v1', boardApiRoutes(ctx));
  app.use('/api/v1', stores.api);
  app.use('/api/v1', jobRoutes(ctx));
  app.use('/api/v1', adminWorkflowRoutes(ctx));
  app.use('/api', openApiRoutes());
  app.use('/api', notFoundHandler);
  serveWebApp(app);
  app.use(notFoundHandler);
  app.use(temporalOutageHandler(ctx));
  app.use(problemHandler(ctx.log));
  return app;
}

/** The built Vue app, with index.html for every client-side route. */
function serveWebApp(app: Express): void {
  if (!existsSync(WEB_DIST)) return;
  app.use(express.static(WEB_DIST, { index: false, maxAge: '1h' }));
  app.get(/^\/(?!api\/|ws$|health$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.sendFile('index.html', { root: WEB_DIST, maxAge: 0 });
  });
}
