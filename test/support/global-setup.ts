import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterFolder, startEmbeddedPostgres, type RunningPostgres } from '../../db/embedded-postgres.ts';
import { createDb, ensureDatabase, withDatabase } from '../../db/connection.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { runCleanups } from './cleanup.ts';

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL's server when given, else a throwaway
 * embedded cluster. Each run gets a database of its own, never the .data/ one.
 */
let cluster: RunningPostgres | undefined;
let clusterDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    clusterDir = await clusterFolder('pulseboard-test-');
    cluster = await startEmbeddedPostgres({ dataDir: join(clusterDir, 'pg'), durable: false });
    serverUrl = cluster.url();
  }
  const name = `pulseboard_test_${Date.now().toString(36)}_${process.pid}`;
  await ensureDatabase(serverUrl, name);
  process.env.TEST_SERVER_URL = serverUrl;
  process.env.DATABASE_URL = withDatabase(serverUrl, name);
  const db = createDb(process.env.DATABASE_URL, 1);
  await migrateLatest(db);
  await db.destroy();
}

export async function mochaGlobalTeardown(): Promise<void> {
  await cluster?.stop();
  if (clusterDir) await rm(clusterDir, { recursive: true, force: true });
}

/** Root hooks: what test files started for the whole run stops before the database does. */
export const mochaHooks = {
  afterAll: runCleanups,
};
