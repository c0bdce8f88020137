import type { Db } from '../connection.ts';
import { queryPrepared } from '../prepared.ts';
import { USER_COLUMNS, type UserRow } from './users.ts';

export async function insertSession(db: Db, session: { idHash: string; userId: number; expiresAt: Date; ip?: string; userAgent?: string }): Promise<void> {
  await db('sessions').insert({
    id_hash: session.idHash,
    user_id: session.userId,
    expires_at: session.expiresAt,
    ip: session.ip ?? null,
    user_agent: session.userAgent?.slice(0, 300) ?? null,
  });
}

/** The session's user when the session exists and has not expired; prepared, as every signed-in request reads it. */
export async function findSessionUser(db: Db, idHash: string): Promise<UserRow | undefined> {
  const query = db<UserRow>('users').join('sessions', 'sessions.user_id', 'users.id').where('sessions.id_hash', idHash).where('sessions.expires_at', '>', db.fn.now()).first(USER_COLUMNS);
  const [user] = await queryPrepared<UserRow>(db, 'session-user', query);
  return user;
}

/** Sessions past their expiry: they can never sign anyone in again. Answers how many went. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  return db('sessions').where('expires_at', '<=', now).delete();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db('sessions').where({ id_hash: idHash }).delete();
}

export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
}
