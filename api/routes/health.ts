import { Router } from 'express';
import type { AppContext } from '../context.ts';

type PartStatus = 'ok' | 'down' | 'not configured';

/** Liveness of the parts a request depends on; 503 when any configured part is down. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [database, temporal] = await Promise.all([databaseStatus(ctx), temporalStatus(ctx)]);
    const ok = database === 'ok' && temporal !== 'down';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, temporal });
  });
  return router;
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
