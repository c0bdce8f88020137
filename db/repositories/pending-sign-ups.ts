import type { Db } from '../connection.ts';
import type { UserRole } from '../../domain/identity/roles.ts';

export interface PendingSignUpRow {
  id: number;
  email: string;
  name: string;
  role: Exclude<UserRole, 'admin'>;
  password_hash: string;
  expires_at: Date;
}

export async function insertPendingSignUp(
  db: Db,
  pending: { email: string; name: string; role: PendingSignUpRow['role']; passwordHash: string; tokenHash: string; expiresAt: Date },
): Promise<PendingSignUpRow> {
  const [row]: PendingSignUpRow[] = await db('pending_sign_ups')
    .insert({ email: pending.email, name: pending.name, role: pending.role, password_hash: pending.passwordHash, token_hash: pending.tokenHash, expires_at: pending.expiresAt })
    .returning(['id', 'email', 'name', 'role', 'password_hash', 'expires_at']);
  return row;
}

/**
 * Spends the sign-up the token belongs to, if it has not expired: every pending sign-up for that
 * email goes with it (one link used, the others are moot). Undefined for an unknown or old token.
 */
export async function takePendingSignUp(db: Db, tokenHash: string): Promise<PendingSignUpRow | undefined> {
  return db.transaction(async (trx) => {
    const [row]: PendingSignUpRow[] = await trx('pending_sign_ups')
      .where({ token_hash: tokenHash })
      .where('expires_at', '>', trx.fn.now())
      .del()
      .returning(['id', 'email', 'name', 'role', 'password_hash', 'expires_at']);
    if (row) await trx('pending_sign_ups').where({ email: row.email }).del();
    return row;
  });
}
