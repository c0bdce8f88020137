import type { IncomingMessage } from 'node:http';
import type { CookieOptions, Response } from 'express';
import type { AppContext } from '../context.ts';

export const SESSION_COOKIE = 'pb_session';
export const CSRF_COOKIE = 'pb_csrf';
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** One cookie's value from a raw request, so the WebSocket upgrade can read it too. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function baseOptions(ctx: AppContext): CookieOptions {
  return { sameSite: 'lax', secure: ctx.config.NODE_ENV === 'production', path: '/' };
}

/** The session id is httpOnly; the CSRF token is readable so the web app can echo it in X-CSRF-Token. */
export function setSessionCookies(ctx: AppContext, res: Response, sessionId: string, csrfToken: string): void {
  res.cookie(SESSION_COOKIE, sessionId, { ...baseOptions(ctx), httpOnly: true, maxAge: SESSION_TTL_MS });
  res.cookie(CSRF_COOKIE, csrfToken, { ...baseOptions(ctx), httpOnly: false, maxAge: SESSION_TTL_MS });
}

export function clearSessionCookies(ctx: AppContext, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { ...baseOptions(ctx), httpOnly: true });
  res.clearCookie(CSRF_COOKIE, baseOptions(ctx));
}
