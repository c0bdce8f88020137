import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import type { Db } from '../../db/connection.ts';
import type { OrgRole } from '../../domain/identity/roles.ts';
import { parseNumericId } from '../../domain/identity/ids.ts';
import { changeMemberRoleSchema } from '../../domain/identity/organizations.ts';
import { mayChangeMemberRole, mayRemoveMember, ORG_PERMISSIONS, type MemberChange } from '../../domain/policies/organizations.ts';
import { orgTeamTopic } from '../../domain/policies/topics.ts';
import { publish } from '../../db/realtime/publish.ts';
import { lockOrganization } from '../../db/repositories/organizations.ts';
import { countOwners, deleteMembership, findMembershipRole, listMembers, updateMembershipRole, type MemberRow } from '../../db/repositories/memberships.ts';
import { assertAllowed } from '../auth/assert-allowed.ts';
import { audit } from '../auth/audit.ts';
import { currentUser, orgAccessOf, requireOrgRole } from '../auth/middleware.ts';
import { notFound } from '../http/problem.ts';

function memberView(row: MemberRow) {
  return { userId: row.user_id, email: row.email, name: row.name, role: row.role, joinedAt: row.created_at.toISOString() };
}

interface MemberTarget {
  organizationId: number;
  userId: number;
  change: MemberChange;
}

/**
 * Locks the organization, then gathers what the policy needs about the actor and the target.
 * The lock makes "is this the last owner?" and the change one atomic step.
 */
async function withMemberTarget<T>(ctx: AppContext, req: Request, run: (trx: Db, target: MemberTarget) => Promise<T>): Promise<T> {
  const { organizationId, role } = orgAccessOf(req);
  const userId = parseNumericId(req.params.userId);
  return ctx.db.transaction(async (trx) => {
    await lockOrganization(trx, organizationId);
    const targetRole = userId === null ? null : await findMembershipRole(trx, organizationId, userId);
    if (userId === null || !targetRole) throw notFound('No such member.');
    const change = { actorRole: role as OrgRole, targetRole, ownerCount: await countOwners(trx, organizationId) };
    return run(trx, { organizationId, userId, change });
  });
}

/** Members of an organization: listing, changing roles, removing others and leaving. */
export function memberRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/orgs/:orgId/members', requireOrgRole(ctx, ORG_PERMISSIONS.list_members), async (req, res) => {
    res.json((await listMembers(ctx.db, orgAccessOf(req).organizationId)).map(memberView));
  });

  router.patch('/orgs/:orgId/members/:userId', requireOrgRole(ctx, ORG_PERMISSIONS.change_roles), async (req, res) => {
    const { role } = changeMemberRoleSchema.parse(req.body);
    const target = await withMemberTarget(ctx, req, async (trx, target) => {
      assertAllowed(mayChangeMemberRole(target.change, role));
      await updateMembershipRole(trx, target.organizationId, target.userId, role);
      await publish(trx, orgTeamTopic(target.organizationId), 'member.role_changed', { userId: target.userId, role });
      return target;
    });
    await audit(ctx, req, {
      action: 'member.role_changed',
      targetType: 'user',
      targetId: target.userId,
      organizationId: target.organizationId,
      details: { from: target.change.targetRole, to: role },
    });
    const members = await listMembers(ctx.db, target.organizationId);
    res.json(memberView(members.find((m) => m.user_id === target.userId)!));
  });

  router.delete('/orgs/:orgId/members/:userId', requireOrgRole(ctx, ORG_PERMISSIONS.view), async (req, res) => {
    const actorId = currentUser(req).id;
    const target = await withMemberTarget(ctx, req, async (trx, target) => {
      assertAllowed(mayRemoveMember({ ...target.change, self: target.userId === actorId }));
      await deleteMembership(trx, target.organizationId, target.userId);
      await publish(trx, orgTeamTopic(target.organizationId), 'member.removed', { userId: target.userId });
      return target;
    });
    await audit(ctx, req, {
      action: target.userId === actorId ? 'member.left' : 'member.removed',
      targetType: 'user',
      targetId: target.userId,
      organizationId: target.organizationId,
      details: { role: target.change.targetRole },
    });
    res.status(204).end();
  });

  return router;
}
