import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { Problem } from '../http/problem.ts';

export interface RateLimiterOptions {
  /** Names the limit in the answer ("sign-in", "booking hold"). */
  name: string;
  windowMs: number;
  limit: number;
  /** What is counted; undefined skips the request. Defaults to the client's IP. */
  key?: (req: Request) => string | undefined;
  /** Count only failed requests (status >= 400): a person who gets it right is never slowed down. */
  countOnlyFailures?: boolean;
}

/**
 * A limiter answering 429 Problem Details with `Retry-After` (seconds). Counts live in this
 * process's memory: with several API processes each allows `limit`, which is acceptable for
 * abuse control and keeps PostgreSQL out of the hot path.
 */
export function createRateLimiter(options: RateLimiterOptions): RequestHandler {
  const key = options.key ?? clientIp;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: options.countOnlyFailures ?? false,
    skip: (req) => key(req) === undefined,
    keyGenerator: (req) => key(req)!,
    // Keys here are deliberate (some combine account and IP); the library's IP heuristics do not apply.
    validate: { keyGeneratorIpFallback: false },
    handler: (_req, res, next) => {
      const seconds = Number(res.getHeader('Retry-After') ?? Math.ceil(options.windowMs / 1000));
      next(
        new Problem(429, 'rate-limited', 'Too many requests', `Too many ${options.name} attempts. Try again in ${waitText(seconds)}.`, {}, { 'Retry-After': String(seconds) }),
      );
    },
  });
}

/** The client's address, IPv6 grouped by /56 so one host cannot rotate through its own block. */
export function clientIp(req: Request): string {
  return ipKeyGenerator(req.ip ?? 'unknown');
}

/** A per-account key that also includes the IP: someone else hammering your email cannot lock you out. */
export function accountAndIp(req: Request): string | undefined {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email ? `${email.trim().toLowerCase()}|${clientIp(req)}` : undefined;
}

/** A wait as a person reads it: seconds under a minute and a half, whole minutes (rounded up) above. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
