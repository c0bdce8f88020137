import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context.ts';

type PartStatus = 'ok' | 'down' | 'not configured';

/** A database answer is reused this long: load balancers and dashboards poll hard, the database should not feel it. */
const FRESH_FOR_MS = 1_000;

/**
 * GET /health: the parts a request depends on; 503 when any configured part is down.
 * A plain node:http handler, answered before Express, since probes are the hottest path there is.
 */
export function healthHandler(ctx: AppContext): (req: IncomingMessage, res: ServerResponse) => void {
  let latest: { at: number; database: Promise<PartStatus> } | undefined;
  return (req, res) => {
    const now = Date.now();
    if (!latest || now - latest.at >= FRESH_FOR_MS) latest = { at: now, database: databaseStatus(ctx) };
    void latest.database.then((database) => {
      const temporal = temporalStatus(ctx);
      const ok = database === 'ok' && temporal !== 'down';
      const body = JSON.stringify({ status: ok ? 'ok' : 'degraded', database, temporal });
      res.writeHead(ok ? 200 : 503, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  };
}

async function databaseStatus(ctx: AppContext): Promise<PartStatus> {
  try {
    await ctx.db.raw('select 1');
    return 'ok';
  } catch {
    return 'down';
  }
}

/** What the connection's background probe last saw: known within 1.5 s of an outage, without a wait here. */
function temporalStatus(ctx: AppContext): PartStatus {
  if (!ctx.temporal) return 'not configured';
  return ctx.temporal.reachable() ? 'ok' : 'down';
}
