import { z } from 'zod';

/** Emails compare case-insensitively, so they are trimmed and lower-cased once, here. */
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));

export const PASSWORD_MIN_LENGTH = 10;

const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'must be at most 200 characters');

const personName = z.string().trim().min(1, 'is required').max(120);

/** A page of this site to go on to (`/invitations/…`), never another site (`//evil.test`, `https://…`). */
const sitePath = z.string().max(500).regex(/^\/(?![/\\])/, 'must be a path on this site');

/** `next`: where the confirmation link leads after the account is made (an invitation, say). */
export const signUpSchema = z.object({ email: emailSchema, password: newPassword, name: personName, next: sitePath.optional() });
export type SignUpInput = z.infer<typeof signUpSchema>;

/** The web form's sign-up: "I offer services" makes a provider, who sets up their profile next. */
export const browserSignUpSchema = signUpSchema.extend({ offersServices: z.boolean().default(false) });

/** The token from the link in the sign-up confirmation mail. */
export const confirmSignUpSchema = z.object({ token: z.string().min(1, 'is required').max(200) });

/** The one answer to every sign-up, whether the email is new or has an account (no enumeration). */
export const SIGN_UP_ANSWER = {
  status: 'check-email',
  message: 'We sent a mail to this address. Open the link in it to finish signing up; if the address already has an account, the mail says how to sign in.',
} as const;

/** Sign-in does not check the password's length: a wrong password is simply wrong. */
export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1, 'is required').max(200) });
export type SignInInput = z.infer<typeof signInSchema>;

export const refreshTokenSchema = z.object({ refreshToken: z.string().min(1, 'is required').max(200) });
