import type { AppContext } from '../context.ts';
import { deleteExpiredSessions } from '../../db/repositories/sessions.ts';
import { deleteExpiredRefreshTokens } from '../../db/repositories/refresh-tokens.ts';

const EVERY_MS = 3_600_000;

/**
 * Deletes expired sessions and refresh tokens when the API starts and then hourly, so the tables
 * hold live sign-ins only. Several API processes may each do it: the deletes are idempotent.
 * Answers a function that stops the timer.
 */
export function startExpiredSignInCleanup(ctx: AppContext): () => void {
  const cleanUp = async () => {
    const now = new Date();
    const [sessions, refreshTokens] = [await deleteExpiredSessions(ctx.db, now), await deleteExpiredRefreshTokens(ctx.db, now)];
    if (sessions + refreshTokens > 0) ctx.log.debug({ sessions, refreshTokens }, 'deleted expired sign-ins');
  };
  const run = () => void cleanUp().catch((error: Error) => ctx.log.warn({ err: error.message }, 'could not delete expired sign-ins'));
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
