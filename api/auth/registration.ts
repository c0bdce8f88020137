import type { AppContext } from '../context.ts';
import type { SignUpInput } from '../../domain/identity/credentials.ts';
import type { UserRole } from '../../domain/identity/roles.ts';
import { hashPassword } from '../../domain/identity/passwords.ts';
import { insertUser, type UserRow } from '../../db/repositories/users.ts';
import { conflict } from '../http/problem.ts';

/** Sign-up is open to customers and providers only; admins are made by admins. */
export type SelfServiceRole = Exclude<UserRole, 'admin'>;

export async function registerUser(ctx: AppContext, input: SignUpInput, role: SelfServiceRole): Promise<UserRow> {
  const user = await insertUser(ctx.db, { email: input.email, name: input.name, role, passwordHash: await hashPassword(input.password) });
  if (!user) throw conflict('An account with this email exists. Sign in instead.', { code: 'email-taken' });
  return user;
}
