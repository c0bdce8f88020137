import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { findRefreshToken, insertRefreshToken, revokeRefreshFamily, spendRefreshToken } from '../../db/repositories/refresh-tokens.ts';
import { findUserById, type UserRow } from '../../db/repositories/users.ts';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from './access-tokens.ts';
import { randomToken, sha256 } from './secrets.ts';

const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A 15-minute JWT and a refresh token; a new sign-in starts a new family, a refresh continues one. */
export async function issueTokenPair(ctx: AppContext, userId: number, familyId: string = randomUUID()): Promise<TokenPair> {
  const refreshToken = `rt_${randomToken(32)}`;
  await insertRefreshToken(ctx.db, { familyId, userId, tokenHash: sha256(refreshToken), expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS) });
  return { accessToken: await issueAccessToken(ctx, userId), refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

export type RefreshOutcome =
  | { ok: true; user: UserRow; pair: TokenPair }
  | { ok: false; reason: 'invalid' | 'reused'; userId?: number };

/**
 * Spends the refresh token and issues the next pair of its family. A token shown a second time
 * means two parties hold it, so the whole family is revoked and both must sign in again.
 */
export async function rotateRefreshToken(ctx: AppContext, presented: string): Promise<RefreshOutcome> {
  const token = await findRefreshToken(ctx.db, sha256(presented));
  if (!token) return { ok: false, reason: 'invalid' };
  if (token.used_at || token.revoked_at || !(await spendRefreshToken(ctx.db, token.id))) {
    await revokeRefreshFamily(ctx.db, token.family_id);
    return { ok: false, reason: token.revoked_at && !token.used_at ? 'invalid' : 'reused', userId: token.user_id };
  }
  const user = await findUserById(ctx.db, token.user_id);
  if (token.expires_at <= new Date() || !user || user.disabled_at) return { ok: false, reason: 'invalid' };
  return { ok: true, user, pair: await issueTokenPair(ctx, user.id, token.family_id) };
}

/** Ends the family the token belongs to (sign-out of an API client); unknown tokens are ignored. */
export async function revokeRefreshToken(ctx: AppContext, presented: string): Promise<void> {
  const token = await findRefreshToken(ctx.db, sha256(presented));
  if (token) await revokeRefreshFamily(ctx.db, token.family_id);
}
