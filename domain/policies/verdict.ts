/** What a policy answers: allowed, or why not, in words a person can read. */
export type Verdict = { allowed: true } | { allowed: false; reason: 'forbidden' | 'last_owner' | 'self'; message: string };

export const ALLOW: Verdict = { allowed: true };

export function deny(reason: 'forbidden' | 'last_owner' | 'self', message: string): Verdict {
  return { allowed: false, reason, message };
}
