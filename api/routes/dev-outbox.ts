import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { notFound } from '../http/problem.ts';
import { outboxQuerySchema } from '../../domain/mail/outbox-query.ts';
import { clearOutbox, listOutbox } from '../../db/repositories/dev-outbox.ts';

/**
 * /api/v1/dev/outbox: the mail a development install kept instead of sending, filtered by
 * recipient, kind and words, newest first, so a provider's accept link can be found and clicked on
 * one machine among the demo store's alerts; and emptied. Gone when SMTP_URL is set or in production.
 */
export function devOutboxRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/dev/outbox', (_req, _res, next) => {
    if (ctx.config.SMTP_URL || ctx.config.NODE_ENV === 'production') throw notFound('The dev outbox is off: mail is sent for real here.');
    next();
  });
  router.get('/dev/outbox', async (req, res) => {
    res.json(await listOutbox(ctx.db, outboxQuerySchema.parse(req.query)));
  });
  router.delete('/dev/outbox', async (_req, res) => {
    await clearOutbox(ctx.db);
    res.status(204).end();
  });
  return router;
}
