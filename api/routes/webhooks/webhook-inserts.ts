import type { Db } from '../../../db/connection.ts';
import { recordWebhookEvents, type IncomingWebhook } from '../../../db/repositories/stores-events.ts';

/** The most deliveries one INSERT carries. */
const MAX_ROWS = 200;

interface Waiting {
  event: IncomingWebhook;
  resolve: (recorded: { id: number | null }) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit on the acknowledgement's path: a delivery is written at once when no insert is in
 * flight; those that arrive meanwhile wait for it and then go together, one INSERT (one round
 * trip, one commit) for all. Each is answered only once its row is committed. When a grouped
 * insert fails (say a store was deleted meanwhile), its deliveries are written one by one, so
 * each gets only its own outcome.
 */
export function webhookInserts(db: Db) {
  let waiting: Waiting[] = [];
  let writing = false;

  async function write(batch: Waiting[]): Promise<void> {
    try {
      const recorded = await recordWebhookEvents(db, batch.map((w) => w.event));
      batch.forEach((w, i) => w.resolve(recorded[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const w of batch) await write([w]);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length) {
      const batch = waiting.slice(0, MAX_ROWS);
      waiting = waiting.slice(MAX_ROWS);
      await write(batch);
    }
    writing = false;
  }

  return {
    record(event: IncomingWebhook): Promise<{ id: number | null }> {
      return new Promise((resolve, reject) => {
        waiting.push({ event, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
