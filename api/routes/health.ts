import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context.ts';

type PartStatus = 'ok' | 'down' | 'not configured';
type Health = { ok: boolean; body: string };

/** A probe answer is reused this long: load balancers and dashboards poll hard, the database should not feel it. */
const FRESH_FOR_MS = 1_000;

/**
 * GET /health: the parts a request depends on; 503 when any configured part is down.
 * A plain node:http handler, answered before Express, since probes are the hottest path there is.
 */
export function healthHandler(ctx: AppContext): (req: IncomingMessage, res: ServerResponse) => void {
  let latest: { at: number; health: Promise<Health> } | undefined;
  return (req, res) => {
    const now = Date.now();
    if (!latest || now - latest.at >= FRESH_FOR_MS) latest = { at: now, health: check(ctx) };
    void latest.health.then((health) => {
      res.writeHead(health.ok ? 200 : 503, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(health.body),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : health.body);
    });
  };
}

async function check(ctx: AppContext): Promise<Health> {
  const [database, temporal] = await Promise.all([databaseStatus(ctx), temporalStatus(ctx)]);
  const ok = database === 'ok' && temporal !== 'down';
  return { ok, body: JSON.stringify({ status: ok ? 'ok' : 'degraded', database, temporal }) };
}

async function databaseStatus(ctx: AppContext): Promise<PartStatus> {
  try {
    await ctx.db.raw('select 1');
    return 'ok';
  } catch {
    return 'down';
  }
}

async function temporalStatus(ctx: AppContext): Promise<PartStatus> {
  if (!ctx.temporal) return 'not configured';
  return (await ctx.temporal.ping()) ? 'ok' : 'down';
}
