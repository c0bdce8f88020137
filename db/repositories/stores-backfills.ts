import type { Knex } from 'knex';
import type { BackfillView } from '../../domain/stores/views.ts';

type Conn = Knex | Knex.Transaction;

type Row = { id: number; store_id: number; status: BackfillView['status']; days: number; pages: number; orders: number; total_pages: number | null; error: string | null; started_at: Date; finished_at: Date | null };
export const backfillView = (r: Row): BackfillView => ({
  id: r.id,
  storeId: r.store_id,
  status: r.status,
  days: r.days,
  pages: r.pages,
  orders: r.orders,
  totalPages: r.total_pages,
  error: r.error,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

export async function insertBackfill(db: Conn, storeId: number, days: number): Promise<BackfillView> {
  const [row] = await db('store_backfills').insert({ store_id: storeId, status: 'running', days }).returning('*');
  return backfillView(row);
}

/** Counts a page once: the page number guards against a retried activity adding it twice. */
export async function recordBackfillPage(trx: Conn, backfillId: number, page: number, orders: number, totalPages: number | null): Promise<BackfillView | null> {
  const [row] = await trx('store_backfills')
    .where({ id: backfillId, pages: page - 1 })
    .update({ pages: page, orders: trx.raw('orders + ?', [orders]), total_pages: totalPages, error: null })
    .returning('*');
  return row ? backfillView(row) : null;
}

/** A page failed and will be tried again: the running backfill says why, until a page loads. */
export async function noteBackfillRetry(db: Conn, backfillId: number, reason: string): Promise<BackfillView | null> {
  const [row] = await db('store_backfills').where({ id: backfillId, status: 'running' }).update({ error: reason.slice(0, 500) }).returning('*');
  return row ? backfillView(row) : null;
}

export async function finishBackfill(db: Conn, backfillId: number, error: string | null): Promise<BackfillView | null> {
  const [row] = await db('store_backfills')
    .where({ id: backfillId, status: 'running' })
    .update({ status: error ? 'failed' : 'completed', error, finished_at: db.fn.now() })
    .returning('*');
  return row ? backfillView(row) : null;
}

export async function latestBackfill(db: Conn, storeId: number): Promise<BackfillView | null> {
  const row = await db('store_backfills').where({ store_id: storeId }).orderBy('id', 'desc').first();
  return row ? backfillView(row) : null;
}
