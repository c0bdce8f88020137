import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { browserSignUpSchema, confirmSignUpSchema, SIGN_UP_ANSWER } from '../../domain/identity/credentials.ts';
import { findUserById, toPublicUser } from '../../db/repositories/users.ts';
import { listOrganizationsOf } from '../../db/repositories/organizations.ts';
import { audit } from '../auth/audit.ts';
import type { AuthLimits } from '../auth/auth-limits.ts';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.ts';
import { currentUser } from '../auth/middleware.ts';
import { confirmSignUp, requestSignUp } from '../auth/registration.ts';
import { csrfTokenFor, endSession, startSession } from '../auth/sessions.ts';
import { passwordSignIn } from '../auth/sign-in.ts';
import { unauthorized } from '../http/problem.ts';

/** Browser sign-up (confirmed by a mailed link), sign-in and sign-out with a session cookie, and "who am I". */
export function authRoutes(ctx: AppContext, limits: AuthLimits, mailer: Mailer): Router {
  const router = Router();
  const signIn = passwordSignIn(ctx);

  router.post('/auth/sign_up', ...limits.signUp, async (req, res) => {
    const input = browserSignUpSchema.parse(req.body);
    await requestSignUp(ctx, mailer, input, input.offersServices ? 'provider' : 'customer');
    res.status(202).json(SIGN_UP_ANSWER);
  });

  // The link in the confirmation mail lands on the web app, which posts its token here.
  router.post('/auth/confirm_sign_up', ...limits.signUp, async (req, res) => {
    const user = await confirmSignUp(ctx, confirmSignUpSchema.parse(req.body).token);
    await audit(ctx, req, { action: 'auth.sign_up', actorId: user.id, actorEmail: user.email, targetType: 'user', targetId: user.id, details: { role: user.role } });
    await startSession(ctx, req, res, user.id);
    res.status(201).json({ user: toPublicUser(user) });
  });

  router.post('/auth/sign_in', ...limits.signIn, async (req, res) => {
    const user = await signIn(req, res);
    await startSession(ctx, req, res, user.id);
    res.json({ user: toPublicUser(user) });
  });

  router.post('/auth/sign_out', async (req, res) => {
    if (req.principal?.kind === 'user') await audit(ctx, req, { action: 'auth.sign_out', targetType: 'user', targetId: req.principal.user.id });
    await endSession(ctx, req, res);
    res.status(204).end();
  });

  router.get('/auth/me', async (req, res) => {
    const user = await findUserById(ctx.db, currentUser(req).id);
    if (!user) throw unauthorized();
    const sessionId = req.principal?.kind === 'user' && req.principal.via === 'session' ? readCookie(req, SESSION_COOKIE) : undefined;
    res.json({
      user: toPublicUser(user),
      organizations: await listOrganizationsOf(ctx.db, user.id),
      csrfToken: sessionId ? await csrfTokenFor(ctx, sessionId) : null,
    });
  });

  return router;
}
