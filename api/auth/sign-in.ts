import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { signInSchema } from '../../domain/identity/credentials.ts';
import type { UserRow } from '../../db/repositories/users.ts';
import { Problem } from '../http/problem.ts';
import { audit } from './audit.ts';
import { passwordAuthenticator } from './passport.ts';

/** Checks email and password for both sign-in routes and records the outcome in the audit log. */
export function passwordSignIn(ctx: AppContext): (req: Request, res: Response) => Promise<UserRow> {
  const authenticate = passwordAuthenticator(ctx);
  return async (req, res) => {
    const { email } = signInSchema.parse(req.body);
    const check = await authenticate(req, res);
    if (!check.ok) {
      await audit(ctx, req, { action: 'auth.sign_in_failed', actorId: null, actorEmail: email, details: { reason: check.reason } });
      if (check.reason === 'disabled') throw new Problem(403, 'account-disabled', 'Account disabled', 'This account has been disabled by an administrator.');
      throw new Problem(401, 'invalid-credentials', 'Invalid credentials', 'The email or password is wrong.');
    }
    await audit(ctx, req, { action: 'auth.sign_in', actorId: check.user.id, actorEmail: check.user.email, targetType: 'user', targetId: check.user.id });
    return check.user;
  };
}
