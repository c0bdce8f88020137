import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createDb, ensureDatabase, withDatabase, type Db } from '../../db/connection.ts';
import { clusterFolder, startEmbeddedPostgres } from '../../db/embedded-postgres.ts';
import { migrateLatest } from '../../db/migrate.ts';

/**
 * Runs `measure` against a migrated database `name` on a throwaway embedded PostgreSQL (not
 * durable: a bench measures the app, not fsync), then removes it all, whatever `measure` did.
 */
export async function withBenchDatabase<T>(name: string, poolMax: number, measure: (db: Db) => Promise<T>): Promise<T> {
  const dir = await clusterFolder(`pulseboard-${name}-`);
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), durable: false });
  await ensureDatabase(cluster.url(), name);
  const db = createDb(withDatabase(cluster.url(), name), poolMax);
  try {
    await migrateLatest(db);
    return await measure(db);
  } finally {
    await db.destroy();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
