import type { Verdict } from '../../domain/policies/verdict.ts';
import { forbidden, Problem } from '../http/problem.ts';

/** Turns a policy's refusal into its answer: 403 when the caller lacks the right, 409 when the state forbids it. */
export function assertAllowed(verdict: Verdict): void {
  if (verdict.allowed) return;
  if (verdict.reason === 'forbidden') throw forbidden(verdict.message);
  const slug = verdict.reason === 'last_owner' ? 'last-owner' : 'own-account';
  throw new Problem(409, slug, 'Not possible', verdict.message);
}
