import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { listNotifications, markRead, unreadCount } from '../../db/repositories/notifications.ts';
import { publish } from '../../db/realtime/publish.ts';
import { currentUser, requireUser } from '../auth/middleware.ts';

const listQuery = z.object({
  unread: z.stringbool().default(false),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const markReadBody = z.union([z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }).strict(), z.object({ all: z.literal(true) }).strict()]);

/** A person's persistent notifications: list, unread count, mark read (announced live to their other tabs). */
export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/notifications', requireUser, async (req, res) => {
    const query = listQuery.parse(req.query);
    const userId = currentUser(req).id;
    res.json({ items: await listNotifications(ctx.db, userId, { unreadOnly: query.unread, before: query.before, limit: query.limit }), unread: await unreadCount(ctx.db, userId) });
  });
  router.get('/notifications/unread_count', requireUser, async (req, res) => {
    res.json({ unread: await unreadCount(ctx.db, currentUser(req).id) });
  });
  router.post('/notifications/read', requireUser, async (req, res) => {
    const body = markReadBody.parse(req.body);
    const userId = currentUser(req).id;
    const unread = await ctx.db.transaction(async (trx) => {
      await markRead(trx, userId, 'all' in body ? 'all' : body.ids);
      const count = await unreadCount(trx, userId);
      await publish(trx, `user:${userId}`, 'notification.read', { unread: count });
      return count;
    });
    res.json({ unread });
  });
  return router;
}
