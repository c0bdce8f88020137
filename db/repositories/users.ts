import { containsPattern } from '../like-pattern.ts';
import type { Db } from '../connection.ts';
import { queryPrepared } from '../prepared.ts';
import type { PublicUser } from '../../domain/identity/user.ts';
import type { UserRole } from '../../domain/identity/roles.ts';
import type { ListUsersQuery } from '../../domain/identity/admin.ts';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  password_hash: string;
  disabled_at: Date | null;
  created_at: Date;
}

export function toPublicUser(row: UserRow): PublicUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled_at !== null, createdAt: row.created_at.toISOString() };
}

/** UserRow's columns, named: a prepared statement's result may not change when a migration adds one. */
export const USER_COLUMNS = ['id', 'email', 'name', 'role', 'password_hash', 'disabled_at', 'created_at'].map((c) => `users.${c}`);

/** Prepared: every request with a bearer token reads its user (it halves the lookup's CPU, client and server). */
export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const [user] = await queryPrepared<UserRow>(db, 'user-by-id', db('users').where({ id }).first(USER_COLUMNS));
  return user;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ email }).first();
}

/** Undefined when the email is taken: the unique key decides, not a racy look-up first. */
export async function insertUser(db: Db, user: { email: string; name: string; role: UserRole; passwordHash: string }): Promise<UserRow | undefined> {
  const [row] = await db<UserRow>('users')
    .insert({ email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash })
    .onConflict('email')
    .ignore()
    .returning('*');
  return row;
}

export async function updateUser(db: Db, id: number, change: { role?: UserRole; disabled?: boolean }): Promise<UserRow | undefined> {
  const patch: Record<string, unknown> = { updated_at: db.fn.now() };
  if (change.role !== undefined) patch.role = change.role;
  if (change.disabled !== undefined) patch.disabled_at = change.disabled ? db.fn.now() : null;
  const [row] = await db<UserRow>('users').where({ id }).update(patch).returning('*');
  return row;
}

export async function searchUsers(db: Db, query: ListUsersQuery): Promise<{ rows: UserRow[]; total: number }> {
  const filtered = db<UserRow>('users').modify((q) => {
    if (query.role) q.where({ role: query.role });
    if (query.q) {
      const like = containsPattern(query.q);
      q.where((w) => w.whereILike('email', like).orWhereILike('name', like));
    }
  });
  const [{ count }] = await filtered.clone().count<{ count: string }[]>({ count: '*' });
  const rows = await filtered
    .clone()
    .orderBy('id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { rows, total: Number(count) };
}
