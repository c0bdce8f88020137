import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { ensureDatabase, withDatabase } from './connection.ts';

export interface DatabaseServer {
  /** The application's database. */
  url: string;
  /** Whether this process started the server (and so must stop it). */
  embedded: boolean;
  stop: () => Promise<void>;
}

/** DATABASE_URL when given; otherwise PostgreSQL from embedded-postgres, kept under the data folder. */
export async function openDatabaseServer(options: { databaseUrl?: string; dataDir: string; log?: (line: string) => void }): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: join(options.dataDir, 'postgres'), onLog: options.log });
  await ensureDatabase(server.url(), 'pulseboard');
  return { url: withDatabase(server.url(), 'pulseboard'), embedded: true, stop: server.stop };
}
