import type { Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AppContext } from '../context.ts';
import { signInSchema } from '../../domain/identity/credentials.ts';
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from '../../domain/identity/passwords.ts';
import { findUserByEmail, type UserRow } from '../../db/repositories/users.ts';

export type CredentialCheck = { ok: true; user: UserRow } | { ok: false; reason: 'invalid' | 'disabled' };

/**
 * Email and password. An unknown email still costs one scrypt, so timing does not tell which
 * emails have accounts; "disabled" is only said to someone who knew the password.
 */
export async function checkCredentials(ctx: AppContext, email: string, password: string): Promise<CredentialCheck> {
  const user = await findUserByEmail(ctx.db, email);
  const matches = await verifyPassword(password, user?.password_hash ?? UNUSABLE_PASSWORD_HASH);
  if (!user || !matches) return { ok: false, reason: 'invalid' };
  if (user.disabled_at) return { ok: false, reason: 'disabled' };
  return { ok: true, user };
}

/** passport-local over checkCredentials, without passport sessions: we keep our own. */
export function passwordAuthenticator(ctx: AppContext): (req: Request, res: Response) => Promise<CredentialCheck> {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', session: false }, (email, password, done) => {
      const input = signInSchema.parse({ email, password });
      checkCredentials(ctx, input.email, input.password).then((check) => done(null, check.ok ? check.user : false, { message: check.ok ? 'ok' : check.reason }), done);
    }),
  );
  return (req, res) =>
    new Promise((resolve, reject) => {
      passport.authenticate('local', { session: false }, (error: unknown, user: UserRow | false, info?: { message?: string }) => {
        if (error) reject(error);
        else if (user) resolve({ ok: true, user });
        else resolve({ ok: false, reason: info?.message === 'disabled' ? 'disabled' : 'invalid' });
      })(req, res, reject);
    });
}
