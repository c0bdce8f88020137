import { ZodError } from 'zod';
import type { Config } from '../../runtime/config.ts';
import { checkUrl } from '../../domain/net/outbound-guard.ts';
import { validationProblem, type Problem } from './problem.ts';

export interface OutboundTarget {
  /** The field the URL came in, as a Problem's `errors[].path` names it: ['url'], ['jobs', 3, 'url']. */
  path: (string | number)[];
  url: string;
}

/**
 * Refuses, with a 422 naming each field and its reason, the addresses we would never send to
 * whatever DNS answers: a bad form, a private, link-local or metadata IP literal, and loopback
 * unless ALLOW_LOOPBACK_TARGETS. A name is resolved and checked each time a request is sent.
 */
export function assertTargetsAllowed(config: Pick<Config, 'ALLOW_LOOPBACK_TARGETS'>, targets: OutboundTarget[]): void {
  const refused = targets.flatMap(({ path, url }) => {
    const check = checkUrl(url, { allowLoopback: config.ALLOW_LOOPBACK_TARGETS });
    return check.ok ? [] : [{ path, message: `this address is not allowed: ${check.reason}` }];
  });
  if (refused.length) throw invalidFields(refused);
}

/** The 422 a schema would give, for a field judged outside it. */
export function invalidFields(fields: { path: (string | number)[]; message: string }[]): Problem {
  return validationProblem(new ZodError(fields.map(({ path, message }) => ({ code: 'custom' as const, path, message, input: undefined }))));
}
