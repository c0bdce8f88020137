import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import type { OrgRole } from '../../domain/identity/roles.ts';
import { parseNumericId } from '../../domain/identity/ids.ts';
import { orgAccess, type OrgViewer } from '../../domain/policies/organizations.ts';
import { mayAdminister } from '../../domain/policies/admin.ts';
import { findMembershipRole } from '../../db/repositories/memberships.ts';
import { badRequest, forbidden, notFound, Problem, unauthorized } from '../http/problem.ts';
import { authenticateRequest, type Principal, type PrincipalUser } from './principal.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { csrfTokenMatches } from './sessions.ts';

/** What requireOrgRole found: the organization, and the caller's role in it (null for the org's own API key). */
export interface OrgAccess {
  organizationId: number;
  role: OrgRole | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal | null;
      orgAccess?: OrgAccess;
    }
  }
}

/** Resolves the caller once per request; routes then ask `currentUser` or the require* guards. */
export function authenticate(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    req.principal = await authenticateRequest(ctx, req);
    next();
  };
}

/** A key in the URL has already leaked into access logs and proxies; say so instead of using it. */
export const refuseQueryApiKey: RequestHandler = (req, _res, next) => {
  if (new URL(req.originalUrl, 'http://localhost').searchParams.has('api_key')) {
    throw badRequest('API keys are not accepted in the query string, where logs and proxies keep them. Send it as "Authorization: Bearer <key>".');
  }
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Double-submit CSRF check for cookie sessions: X-CSRF-Token must be the session's token. Bearer calls need none. */
export function csrfProtection(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.principal?.kind !== 'user' || req.principal.via !== 'session') return next();
    const sessionId = readCookie(req, SESSION_COOKIE)!;
    if (!(await csrfTokenMatches(ctx, sessionId, req.get('x-csrf-token')))) {
      throw new Problem(403, 'csrf', 'CSRF token missing or wrong', 'Send the value of the pb_csrf cookie in the X-CSRF-Token header.');
    }
    next();
  };
}

/** The signed-in person; 401 when nobody is, 403 for an API key (these routes act for a person). */
export function currentUser(req: Request): PrincipalUser {
  const principal = req.principal;
  if (!principal) throw unauthorized();
  if (principal.kind !== 'user') throw forbidden('This route acts for a person: sign in instead of using an API key.');
  return principal.user;
}

export const requireUser: RequestHandler = (req, _res, next) => {
  currentUser(req);
  next();
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  const user = currentUser(req);
  if (!mayAdminister({ id: user.id, role: user.role, disabled: false })) throw forbidden('Only an admin may do this.');
  next();
};

/**
 * Guards routes under `:orgId`. Outsiders get 404 (the organization does not exist for them),
 * members without one of `roles` get 403. An API key passes only for its own organization and
 * only where `allowApiKey` is set. The decision is the policy's (`orgAccess`).
 */
export function requireOrgRole(ctx: AppContext, roles: readonly OrgRole[], options: { allowApiKey?: boolean } = {}): RequestHandler {
  return async (req, _res, next) => {
    const principal = req.principal;
    if (!principal) throw unauthorized();
    const organizationId = parseNumericId(req.params.orgId);
    if (organizationId === null) throw notFound('No such organization.');
    const role = principal.kind === 'user' ? await findMembershipRole(ctx.db, organizationId, principal.user.id) : null;
    const decision = orgAccess(viewerOf(principal, organizationId, role), roles, options.allowApiKey ?? false);
    if (decision === 'not_found') throw notFound('No such organization.');
    if (decision === 'forbidden') {
      throw forbidden(principal.kind === 'api_key' ? 'API keys cannot do this: a person with the right role must sign in.' : 'Your role in this organization does not allow this.');
    }
    req.orgAccess = { organizationId, role };
    next();
  };
}

function viewerOf(principal: Principal, organizationId: number, role: OrgRole | null): OrgViewer {
  if (principal.kind === 'api_key') return principal.organizationId === organizationId ? { kind: 'api_key' } : { kind: 'outsider' };
  return role ? { kind: 'member', role } : { kind: 'outsider' };
}

export function orgAccessOf(req: Request): OrgAccess {
  if (!req.orgAccess) throw new Error('requireOrgRole must run before this handler');
  return req.orgAccess;
}
