import type { RequestHandler } from 'express';
import { accountAndIp, createRateLimiter } from './rate-limit.ts';

const MINUTE = 60_000;

/**
 * The limits on sign-in and sign-up, shared by the cookie and the token routes so that switching
 * route does not reset the count. Made per app, so each test app starts with clean counts.
 */
export interface AuthLimits {
  signIn: RequestHandler[];
  signUp: RequestHandler[];
}

export function createAuthLimits(): AuthLimits {
  return {
    signIn: [
      createRateLimiter({ name: 'sign-in', windowMs: 15 * MINUTE, limit: 30 }),
      createRateLimiter({ name: 'sign-in', windowMs: 15 * MINUTE, limit: 5, key: accountAndIp, countOnlyFailures: true }),
    ],
    signUp: [
      createRateLimiter({ name: 'sign-up', windowMs: 60 * MINUTE, limit: 10 }),
      createRateLimiter({ name: 'sign-up', windowMs: 60 * MINUTE, limit: 3, key: accountAndIp }),
    ],
  };
}
