import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { deleteSession, insertSession } from '../../db/repositories/sessions.ts';
import { appKeys } from './app-keys.ts';
import { clearSessionCookies, readCookie, SESSION_COOKIE, SESSION_TTL_MS, setSessionCookies } from './cookies.ts';
import { hmac, randomToken, sha256 } from './secrets.ts';

/** The CSRF token is an HMAC of the session id: bound to that session, nothing extra to store. */
export async function csrfTokenFor(ctx: AppContext, sessionId: string): Promise<string> {
  return hmac((await appKeys(ctx)).csrf, sessionId);
}

export async function csrfTokenMatches(ctx: AppContext, sessionId: string, presented: string | undefined): Promise<boolean> {
  if (!presented) return false;
  const expected = Buffer.from(await csrfTokenFor(ctx, sessionId));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Starts a browser session for the user; answers the CSRF token the client must echo. */
export async function startSession(ctx: AppContext, req: Request, res: Response, userId: number): Promise<string> {
  const sessionId = randomToken(32);
  await insertSession(ctx.db, {
    idHash: sha256(sessionId),
    userId,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    ip: req.ip,
    userAgent: req.get('user-agent'),
  });
  const csrfToken = await csrfTokenFor(ctx, sessionId);
  setSessionCookies(ctx, res, sessionId, csrfToken);
  return csrfToken;
}

export async function endSession(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const sessionId = readCookie(req, SESSION_COOKIE);
  if (sessionId) await deleteSession(ctx.db, sha256(sessionId));
  clearSessionCookies(ctx, res);
}
