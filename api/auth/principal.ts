import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../context.ts';
import type { UserRole } from '../../domain/identity/roles.ts';
import { parseApiKey } from '../../domain/identity/api-keys.ts';
import { findSessionUser } from '../../db/repositories/sessions.ts';
import { findUserById, type UserRow } from '../../db/repositories/users.ts';
import { findApiKey, touchApiKey } from '../../db/repositories/api-keys.ts';
import { verifyAccessToken } from './access-tokens.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { sha256 } from './secrets.ts';

export interface PrincipalUser {
  id: number;
  email: string;
  name: string;
  role: UserRole;
}

/**
 * Who is calling: a person (by browser session or JWT access token) or an organization's API key.
 * `via` tells a session apart, because only a session needs the CSRF check.
 */
export type Principal =
  | { kind: 'user'; user: PrincipalUser; via: 'session' | 'access_token' }
  | { kind: 'api_key'; organizationId: number; keyId: string };

/**
 * Works on a raw Node request (the WebSocket upgrade uses it as well as Express). Order:
 * `Authorization: Bearer`, then the session cookie. A credential that is present but wrong answers
 * null; it never falls back to another one. A key in the query string is never read: URLs end up in
 * logs and proxies (the API refuses one with 400, see refuseQueryApiKey).
 */
export async function authenticateRequest(ctx: AppContext, req: IncomingMessage): Promise<Principal | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (req.headers.authorization !== undefined) return bearer ? fromBearer(ctx, bearer) : null;
  const sessionId = readCookie(req, SESSION_COOKIE);
  if (sessionId) return asUser(await findSessionUser(ctx.db, sha256(sessionId)), 'session');
  return null;
}

async function fromBearer(ctx: AppContext, token: string): Promise<Principal | null> {
  if (token.startsWith('pk_')) return fromApiKey(ctx, token);
  const userId = await verifyAccessToken(ctx, token);
  return userId === null ? null : asUser(await findUserById(ctx.db, userId), 'access_token');
}

async function fromApiKey(ctx: AppContext, presented: string): Promise<Principal | null> {
  const parts = parseApiKey(presented);
  if (!parts) return null;
  const key = await findApiKey(ctx.db, parts.id);
  if (!key || key.revoked_at || !sameHash(key.secret_hash, sha256(parts.secret))) return null;
  await touchApiKey(ctx.db, key.id);
  return { kind: 'api_key', organizationId: key.organization_id, keyId: key.id };
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A disabled person is nobody: their sessions and tokens stop working at once. */
function asUser(row: UserRow | undefined, via: 'session' | 'access_token'): Principal | null {
  if (!row || row.disabled_at) return null;
  return { kind: 'user', user: { id: row.id, email: row.email, name: row.name, role: row.role }, via };
}
