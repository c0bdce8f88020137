import { digestAlertsFor, digestCandidates } from '../../db/repositories/alert-settings.ts';
import { digestWindow } from '../../domain/stores/alert-digest-clock.ts';
import { alertDigestText } from '../../domain/stores/alert-digest.ts';
import type { StoreActivityDeps } from './types.ts';

/**
 * One tick of the digest actor: each person whose chosen local hour starts at `at` gets the
 * alerts of their last day that they chose to read in a digest, grouped by store; nothing when
 * there were none. `at` is the workflow's instant, not this process's clock, so a retry (or a
 * tick caught up late) judges the same people and the same day; the key, one per person and
 * local day, keeps it from mailing twice.
 */
export async function sendAlertDigests(deps: Pick<StoreActivityDeps, 'db' | 'mailer' | 'publicUrl'>, input: { at: string }): Promise<{ sent: number }> {
  const at = new Date(input.at);
  let sent = 0;
  for (const person of await digestCandidates(deps.db)) {
    const window = digestWindow(at, person.hour, person.timezone);
    if (!window) continue;
    const alerts = await digestAlertsFor(deps.db, person.id, window.since, at);
    const mail = alertDigestText({ localDate: window.localDate, timezone: person.timezone, publicUrl: deps.publicUrl, alerts });
    if (!mail) continue;
    await deps.mailer.send({ to: person.email, ...mail, idempotencyKey: `store-digest:${person.id}:${window.localDate}` });
    sent += 1;
  }
  return { sent };
}
