import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { Mailer, MailMessage } from '../../runtime/mail/mailer.ts';
import { accountExistsEmail, confirmSignUpEmail } from '../mail/sign-up-emails.ts';
import type { SignUpInput } from '../../domain/identity/credentials.ts';
import type { UserRole } from '../../domain/identity/roles.ts';
import { hashPassword } from '../../domain/identity/passwords.ts';
import { findUserByEmail, insertUser, type UserRow } from '../../db/repositories/users.ts';
import { insertPendingSignUp, takePendingSignUp } from '../../db/repositories/pending-sign-ups.ts';
import { conflict, Problem, serviceUnavailable } from '../http/problem.ts';
import { publicBaseUrl } from '../http/public-url.ts';
import { randomToken, sha256 } from './secrets.ts';

/** Sign-up is open to customers and providers only; admins are made by admins. */
export type SelfServiceRole = Exclude<UserRole, 'admin'>;

const CONFIRM_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * Starts a sign-up. A new email gets a link that makes the account; an email with an account
 * gets a note to its owner instead. The caller sees the same either way, and both ways hash the
 * password and send one mail, so the answer does not take longer for one than the other.
 */
export async function requestSignUp(ctx: AppContext, mailer: Mailer, input: SignUpInput, role: SelfServiceRole): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const baseUrl = publicBaseUrl(ctx.config);
  const existing = await findUserByEmail(ctx.db, input.email);
  if (existing) return send(ctx, mailer, accountExistsEmail({ to: existing.email, signInLink: `${baseUrl}/sign-in`, attemptId: randomUUID() }));
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + CONFIRM_WITHIN_MS);
  const pending = await insertPendingSignUp(ctx.db, { email: input.email, name: input.name, role, passwordHash, tokenHash: sha256(token), expiresAt });
  const link = `${baseUrl}/confirm-sign-up/${token}${input.next ? `?next=${encodeURIComponent(input.next)}` : ''}`;
  await send(ctx, mailer, confirmSignUpEmail({ to: input.email, name: input.name, link, expiresAt, pendingId: pending.id }));
}

/** Makes the account the link's sign-up asked for. The link proves the address, so a taken one may be named here. */
export async function confirmSignUp(ctx: AppContext, token: string): Promise<UserRow> {
  const pending = await takePendingSignUp(ctx.db, sha256(token));
  if (!pending) throw new Problem(410, 'sign-up-link', 'Sign-up link not valid', 'This link is unknown, already used or expired. Sign up again to get a new one.');
  const user = await insertUser(ctx.db, { email: pending.email, name: pending.name, role: pending.role, passwordHash: pending.password_hash });
  if (!user) throw conflict('An account with this email exists. Sign in instead.', { code: 'email-taken' });
  return user;
}

async function send(ctx: AppContext, mailer: Mailer, message: MailMessage): Promise<void> {
  try {
    await mailer.send(message);
  } catch (error) {
    ctx.log.warn({ err: (error as Error).message }, 'sign-up email could not be sent');
    throw serviceUnavailable('The email could not be sent. Try again in a moment.');
  }
}
