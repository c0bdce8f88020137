import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { observeHttpRequest } from './metrics.ts';

export interface RequestContext {
  requestId: string;
  /** The process logger bound to this request's id. */
  log: Logger;
}

const current = new AsyncLocalStorage<RequestContext>();

/** The request being served, wherever in its async chain this is asked (routes, the Temporal client interceptor). */
export function requestContext(): RequestContext | undefined {
  return current.getStore();
}

/** A caller's id is kept when it is short and printable (a proxy's or a client's trace id); otherwise a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:@/+=-]{1,128}$/.test(value) ? value : randomUUID();
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Gives every request an id (X-Request-Id in and out) and a child logger, runs it inside that
 * context, and when it ends logs one line and observes its latency under its route pattern.
 * Probes of /health and scrapes of /metrics are measured but not logged: they would drown the rest.
 * So would machine traffic such as the stores' webhook deliveries, hundreds a second from a busy
 * shop: answered without error, the `quiet` route patterns log at debug (the metrics count them).
 */
export function withRequestContext(log: Logger, listener: Listener, { quiet = new Set<string>() }: { quiet?: ReadonlySet<string> } = {}): Listener {
  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const child = log.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    const route = routePatternOf(req);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = route();
      observeHttpRequest(req.method ?? 'GET', pattern, res.statusCode, seconds);
      if (pattern === '/health' || pattern === '/metrics') return;
      const line = { method: req.method, route: pattern, status: res.statusCode, ms: Math.round(seconds * 1000) };
      if (res.statusCode >= 500) child.error(line, 'request failed');
      else if (res.statusCode < 400 && quiet.has(pattern)) child.debug(line, 'request');
      else child.info(line, 'request');
    });
    current.run({ requestId, log: child }, () => listener(req, res));
  };
}

/**
 * The matched route's pattern (`/api/v1/bookings/:id`), not its URL, so the histogram's labels stay few.
 * Express sets `req.route` when a route matches, while `req.baseUrl` still names its mount; by the time
 * the response ends an error may have unwound the mount, so the pattern is taken at that moment.
 */
function routePatternOf(req: IncomingMessage): () => string {
  if (req.url === '/health' || req.url === '/metrics') {
    const path = req.url;
    return () => path;
  }
  let pattern: string | undefined;
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value?.path !== undefined) pattern = `${(req as { baseUrl?: string }).baseUrl ?? ''}${String(value.path)}`;
    },
  });
  return () => pattern ?? '(unmatched)';
}
