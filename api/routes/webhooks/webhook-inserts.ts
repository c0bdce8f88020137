import type { Db } from '../../../db/connection.ts';
import { groupWrites } from '../../../db/group-writes.ts';
import { recordWebhookEvents, type IncomingWebhook } from '../../../db/repositories/stores-events.ts';

/** The most deliveries one INSERT carries. */
const MAX_ROWS = 200;

/**
 * Group commit on the acknowledgement's path: a delivery is written at once when no insert is in
 * flight; those that arrive meanwhile wait for it and then go together, one INSERT (one round
 * trip, one commit) for all. Each is answered only once its row is committed. When a grouped
 * insert fails (say a store was deleted meanwhile), its deliveries are written one by one, so
 * each gets only its own outcome.
 */
export function webhookInserts(db: Db): { record(event: IncomingWebhook): Promise<{ id: number | null; windowed: boolean }> } {
  return { record: groupWrites((events: IncomingWebhook[]) => recordWebhookEvents(db, events), { maxItems: MAX_ROWS, retryAlone: true }) };
}
