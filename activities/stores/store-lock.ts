import type { Knex } from 'knex';

/**
 * Everything that writes a store's orders, stock and figures runs under this transaction lock:
 * webhook batches, backfill pages and reconciles may overlap in time, and two versions of one
 * order must not interleave their read-compare-write.
 */
const NAMESPACE = 7_000_000_000_000;

export async function lockStore(trx: Knex.Transaction, storeId: number): Promise<void> {
  await lockStores(trx, [storeId]);
}

/** Several stores' locks in one statement, taken in id order: two transactions never wait on each other in a circle. */
export async function lockStores(trx: Knex.Transaction, storeIds: number[]): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(? + id) from (select unnest(?::bigint[]) as id order by 1) ids', [NAMESPACE, [...storeIds].sort((a, b) => a - b)]);
}
