import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsRegistry } from '../../runtime/metrics.ts';

/**
 * GET /metrics: this process's series in the Prometheus text format. Answered before Express,
 * like /health, and without authentication, as scrapers expect; the production proxy keeps it
 * off the public port (docker/nginx.conf), Prometheus scrapes each replica directly.
 */
export function metricsHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    metricsRegistry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('metrics could not be collected\n');
      },
    );
  };
}
