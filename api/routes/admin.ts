import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditQuerySchema, listUsersQuerySchema, updateUserSchema } from '../../domain/identity/admin.ts';
import { parseNumericId } from '../../domain/identity/ids.ts';
import { mayChangeUser } from '../../domain/policies/admin.ts';
import { findUserById, searchUsers, toPublicUser, updateUser } from '../../db/repositories/users.ts';
import { deleteUserSessions } from '../../db/repositories/sessions.ts';
import { revokeUserRefreshTokens } from '../../db/repositories/refresh-tokens.ts';
import { listAuditEvents } from '../../db/repositories/audit.ts';
import { assertAllowed } from '../auth/assert-allowed.ts';
import { audit } from '../auth/audit.ts';
import { currentUser, requireAdmin } from '../auth/middleware.ts';
import { notFound } from '../http/problem.ts';

/** Site administration of people and the audit log; every route needs an admin. */
export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/admin', requireAdmin);

  router.get('/admin/users', async (req, res) => {
    const { rows, total } = await searchUsers(ctx.db, listUsersQuerySchema.parse(req.query));
    res.json({ items: rows.map(toPublicUser), total });
  });

  router.patch('/admin/users/:id', async (req, res) => {
    const id = parseNumericId(req.params.id);
    const target = id === null ? undefined : await findUserById(ctx.db, id);
    if (!target) throw notFound('No such user.');
    const change = updateUserSchema.parse(req.body);
    const actor = currentUser(req);
    assertAllowed(mayChangeUser({ id: actor.id, role: actor.role, disabled: false }, target.id, change));
    const updated = (await updateUser(ctx.db, target.id, change))!;
    if (change.disabled) {
      // A disabled person is signed out everywhere at once, browser and API clients alike.
      await deleteUserSessions(ctx.db, target.id);
      await revokeUserRefreshTokens(ctx.db, target.id);
    }
    if (change.role !== undefined && change.role !== target.role) {
      await audit(ctx, req, { action: 'user.role_changed', targetType: 'user', targetId: target.id, details: { from: target.role, to: change.role } });
    }
    if (change.disabled !== undefined && change.disabled !== (target.disabled_at !== null)) {
      await audit(ctx, req, { action: change.disabled ? 'user.disabled' : 'user.enabled', targetType: 'user', targetId: target.id });
    }
    res.json(toPublicUser(updated));
  });

  router.get('/admin/audit', async (req, res) => {
    res.json(await listAuditEvents(ctx.db, auditQuerySchema.parse(req.query)));
  });

  return router;
}
