import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { notFound } from '../http/problem.ts';

/**
 * GET /api/v1/dev/outbox: the mail a development install kept instead of sending, newest first,
 * so a provider's accept link can be clicked on one machine. Gone when SMTP_URL is set or in production.
 */
export function devOutboxRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/dev/outbox', async (_req, res) => {
    if (ctx.config.SMTP_URL || ctx.config.NODE_ENV === 'production') throw notFound('The dev outbox is off: mail is sent for real here.');
    const rows = await ctx.db('dev_outbox').orderBy('id', 'desc').limit(100);
    res.json({
      items: rows.map((row) => ({ id: row.id, to: row.to_address, subject: row.subject, text: row.text_body, createdAt: row.created_at.toISOString() })),
    });
  });
  return router;
}
