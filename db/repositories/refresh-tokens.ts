import type { Db } from '../connection.ts';

export interface RefreshTokenRow {
  id: number;
  family_id: string;
  user_id: number;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertRefreshToken(db: Db, token: { familyId: string; userId: number; tokenHash: string; expiresAt: Date }): Promise<void> {
  await db('refresh_tokens').insert({ family_id: token.familyId, user_id: token.userId, token_hash: token.tokenHash, expires_at: token.expiresAt });
}

export async function findRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db('refresh_tokens').where({ token_hash: tokenHash }).first<RefreshTokenRow | undefined>();
}

/** Refresh tokens past their expiry, spent or not: refused whatever their state. Answers how many went. */
export async function deleteExpiredRefreshTokens(db: Db, now: Date): Promise<number> {
  return db('refresh_tokens').where('expires_at', '<=', now).delete();
}

/** Marks the token used; false when it was already spent or revoked (a concurrent refresh lost the race). */
export async function spendRefreshToken(db: Db, id: number): Promise<boolean> {
  return (await db('refresh_tokens').where({ id }).whereNull('used_at').whereNull('revoked_at').update({ used_at: db.fn.now() })) > 0;
}

export async function revokeRefreshFamily(db: Db, familyId: string): Promise<void> {
  await db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}

export async function revokeUserRefreshTokens(db: Db, userId: number): Promise<void> {
  await db('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}
