import type { Db } from '../connection.ts';

/** NOTIFY channel on which each received delivery names its store (payload: the store id), sent when its row commits. */
export const STORE_EVENTS_CHANNEL = 'store_events_received';

export interface IngestWindowRow {
  storeId: number;
  holder: string;
  heldUntil: Date;
}

/** Marks the stores' windows out (replacing any earlier window of the same store), in one statement. */
export async function openIngestWindows(db: Db, windows: IngestWindowRow[]): Promise<void> {
  if (!windows.length) return;
  await db.raw(
    `insert into store_ingest_windows (store_id, holder, held_until)
     select * from unnest(?::bigint[], ?::text[], ?::timestamptz[])
     on conflict (store_id) do update set holder = excluded.holder, held_until = excluded.held_until`,
    [windows.map((w) => w.storeId), windows.map((w) => w.holder), windows.map((w) => w.heldUntil)],
  );
}

/** Marks these windows closed; a later window of the same store (another holder) stays. */
export async function closeIngestWindows(db: Db, windows: Array<{ storeId: number; holder: string }>): Promise<void> {
  if (!windows.length) return;
  await db.raw(
    `delete from store_ingest_windows w using unnest(?::bigint[], ?::text[]) as c(store_id, holder)
     where w.store_id = c.store_id and w.holder = c.holder`,
    [windows.map((w) => w.storeId), windows.map((w) => w.holder)],
  );
}
