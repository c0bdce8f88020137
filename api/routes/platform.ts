import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { createMailer } from '../../runtime/mail/mailer.ts';
import { createAuthLimits } from '../auth/auth-limits.ts';
import { authRoutes } from './auth.ts';
import { authTokenRoutes } from './auth-tokens.ts';
import { orgRoutes } from './orgs.ts';
import { memberRoutes } from './members.ts';
import { invitationRoutes } from './invitations.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { adminRoutes } from './admin.ts';
import { categoryRoutes } from './admin-categories.ts';
import { meRoutes } from './me.ts';

/** Identity and access under /api/v1: auth, organizations, members, invitations, API keys, admin. */
export function platformRoutes(ctx: AppContext): Router {
  const limits = createAuthLimits();
  const mailer = ctx.mailer ?? createMailer(ctx.config, ctx.db);
  return Router().use(
    authRoutes(ctx, limits, mailer),
    authTokenRoutes(ctx, limits, mailer),
    meRoutes(ctx),
    orgRoutes(ctx),
    memberRoutes(ctx),
    invitationRoutes(ctx, mailer),
    apiKeyRoutes(ctx),
    adminRoutes(ctx),
    categoryRoutes(ctx),
  );
}
