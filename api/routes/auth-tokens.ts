import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { refreshTokenSchema, SIGN_UP_ANSWER, signUpSchema } from '../../domain/identity/credentials.ts';
import { toPublicUser } from '../../db/repositories/users.ts';
import { audit } from '../auth/audit.ts';
import type { AuthLimits } from '../auth/auth-limits.ts';
import { requestSignUp, type SelfServiceRole } from '../auth/registration.ts';
import { passwordSignIn } from '../auth/sign-in.ts';
import { issueTokenPair, revokeRefreshToken, rotateRefreshToken } from '../auth/token-pairs.ts';
import { Problem } from '../http/problem.ts';

/** Token sign-in for API clients that are people (brief 003's /v1/auth/*): a 15-minute JWT and a rotating refresh token. */
export function authTokenRoutes(ctx: AppContext, limits: AuthLimits, mailer: Mailer): Router {
  const router = Router();
  const signIn = passwordSignIn(ctx);

  router.post('/auth/token/sign_in', ...limits.signIn, async (req, res) => {
    const user = await signIn(req, res);
    res.json({ ...(await issueTokenPair(ctx, user.id)), user: toPublicUser(user) });
  });

  // The same neutral answer as the browser's sign-up; once the mailed link is opened, sign in here.
  const signUp = (role: SelfServiceRole) => async (req: Request, res: Response) => {
    await requestSignUp(ctx, mailer, signUpSchema.parse(req.body), role);
    res.status(202).json(SIGN_UP_ANSWER);
  };
  router.post('/auth/token/sign_up_client', ...limits.signUp, signUp('customer'));
  router.post('/auth/token/sign_up_provider', ...limits.signUp, signUp('provider'));

  router.post('/auth/token/refresh', async (req, res) => {
    const outcome = await rotateRefreshToken(ctx, refreshTokenSchema.parse(req.body).refreshToken);
    if (!outcome.ok) {
      if (outcome.reason === 'reused') {
        await audit(ctx, req, { action: 'auth.refresh_token_reused', targetType: 'user', targetId: outcome.userId, details: { familyRevoked: true } });
      }
      throw new Problem(401, 'invalid-refresh-token', 'Invalid refresh token', 'The refresh token is unknown, spent, revoked or expired. Sign in again.');
    }
    res.json({ ...outcome.pair, user: toPublicUser(outcome.user) });
  });

  router.post('/auth/token/revoke', async (req, res) => {
    await revokeRefreshToken(ctx, refreshTokenSchema.parse(req.body).refreshToken);
    res.status(204).end();
  });

  return router;
}
