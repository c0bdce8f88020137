import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { createOrganizationSchema, updateOrganizationSchema } from '../../domain/identity/organizations.ts';
import { ORG_PERMISSIONS } from '../../domain/policies/organizations.ts';
import { findOrganization, insertOrganizationWithOwner, listOrganizationsOf, renameOrganization, type OrganizationRow } from '../../db/repositories/organizations.ts';
import { audit } from '../auth/audit.ts';
import { currentUser, orgAccessOf, requireOrgRole } from '../auth/middleware.ts';
import { notFound } from '../http/problem.ts';

function organizationView(org: OrganizationRow, role: string | null) {
  return { id: org.id, name: org.name, plan: org.plan, role };
}

/** The caller's organizations; creating one makes the caller its owner. */
export function orgRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/orgs', async (req, res) => {
    res.json(await listOrganizationsOf(ctx.db, currentUser(req).id));
  });

  router.post('/orgs', async (req, res) => {
    const user = currentUser(req);
    const org = await insertOrganizationWithOwner(ctx.db, createOrganizationSchema.parse(req.body).name, user.id);
    await audit(ctx, req, { action: 'org.created', targetType: 'organization', targetId: org.id, organizationId: org.id });
    res.status(201).json({ id: org.id, name: org.name, role: 'owner' });
  });

  // An API key may read its own organization, so a script can tell which one it acts for.
  router.get('/orgs/:orgId', requireOrgRole(ctx, ORG_PERMISSIONS.view, { allowApiKey: true }), async (req, res) => {
    const access = orgAccessOf(req);
    const org = await findOrganization(ctx.db, access.organizationId);
    if (!org) throw notFound('No such organization.');
    res.json(organizationView(org, access.role));
  });

  router.patch('/orgs/:orgId', requireOrgRole(ctx, ORG_PERMISSIONS.update), async (req, res) => {
    const access = orgAccessOf(req);
    const { name } = updateOrganizationSchema.parse(req.body);
    const org = await renameOrganization(ctx.db, access.organizationId, name);
    if (!org) throw notFound('No such organization.');
    await audit(ctx, req, { action: 'org.updated', targetType: 'organization', targetId: org.id, organizationId: org.id, details: { name } });
    res.json(organizationView(org, access.role));
  });

  return router;
}
