import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { unauthorized } from '../http/problem.ts';
import { findUserById, toPublicUser } from '../../db/repositories/users.ts';
import { findOrganization, listOrganizationsOf } from '../../db/repositories/organizations.ts';
import { findApiKey } from '../../db/repositories/api-keys.ts';
import { storePlanOf } from '../../db/repositories/stores.ts';
import { limitsOf } from '../../domain/jobs/plan-limits.ts';
import { storeLimitsOf } from '../../domain/stores/plans.ts';

/**
 * GET /api/v1/me: who the caller is, for a person or an API key alike. A key-only client learns
 * here which organization it acts for, what it may do there, and its plans' limits; it could not
 * find its organization's id anywhere else (GET /orgs lists a person's organizations).
 */
export function meRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/me', async (req, res) => {
    const principal = req.principal;
    if (!principal) throw unauthorized();
    if (principal.kind === 'user') {
      const user = await findUserById(ctx.db, principal.user.id);
      if (!user) throw unauthorized();
      res.json({ kind: 'user', user: toPublicUser(user), organizations: await listOrganizationsOf(ctx.db, user.id) });
      return;
    }
    const [key, organization, storePlan] = await Promise.all([
      findApiKey(ctx.db, principal.keyId),
      findOrganization(ctx.db, principal.organizationId),
      storePlanOf(ctx.db, principal.organizationId),
    ]);
    if (!key || !organization) throw unauthorized();
    res.json({
      kind: 'api_key',
      apiKey: { id: key.id, name: key.name },
      organization: { id: organization.id, name: organization.name },
      // What a key may do: the routes a member may use, except settings and secrets (those need a person).
      role: 'member',
      plans: {
        jobs: { plan: organization.plan, ...limitsOf(organization.plan) },
        stores: { plan: storePlan, ...storeLimitsOf(storePlan) },
      },
    });
  });
  return router;
}
