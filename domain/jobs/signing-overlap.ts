/** How long a rotated-out signing secret still signs requests, beside the new one: a day to switch receivers. */
export const SIGNING_SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Until when the previous secret is valid, or null when there is none (never rotated, or the overlap is over). */
export function previousValidUntil(settings: { previous: string | null; rotatedAt: Date }, now: Date): Date | null {
  const until = new Date(settings.rotatedAt.getTime() + SIGNING_SECRET_OVERLAP_MS);
  return settings.previous && until > now ? until : null;
}

/** The secrets (sealed) to sign with now, the current one first. */
export function signingSecretsNow(settings: { current: string; previous: string | null; rotatedAt: Date }, now: Date): string[] {
  return previousValidUntil(settings, now) ? [settings.current, settings.previous!] : [settings.current];
}
