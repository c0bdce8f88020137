import { z } from 'zod';

/** Emails compare case-insensitively, so they are trimmed and lower-cased once, here. */
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));

export const PASSWORD_MIN_LENGTH = 10;

const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'must be at most 200 characters');

const personName = z.string().trim().min(1, 'is required').max(120);

export const signUpSchema = z.object({ email: emailSchema, password: newPassword, name: personName });
export type SignUpInput = z.infer<typeof signUpSchema>;

/** The web form's sign-up: "I offer services" makes a provider, who sets up their profile next. */
export const browserSignUpSchema = signUpSchema.extend({ offersServices: z.boolean().default(false) });

/** Sign-in does not check the password's length: a wrong password is simply wrong. */
export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1, 'is required').max(200) });
export type SignInInput = z.infer<typeof signInSchema>;

export const refreshTokenSchema = z.object({ refreshToken: z.string().min(1, 'is required').max(200) });
