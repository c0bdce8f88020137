import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded-postgres.ts';
import { createDb } from '../../db/connection.ts';
import { parseConfig } from '../../runtime/config.ts';
import { createLogger } from '../../runtime/logger.ts';
import { startApi } from '../../api/server.ts';

/** Pulseboard's API on a throwaway PostgreSQL, for the load generator in the parent process. */
const dir = await mkdtemp(join(tmpdir(), 'pulseboard-bench-'));
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), durable: false });
const db = createDb(pg.url());
const settings = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
const api = await startApi({ config: settings, db, log: createLogger('silent'), temporal: null }, 0, '127.0.0.1');
console.log(`listening ${new URL(api.url).port}`);

process.on('SIGTERM', async () => {
  await api.close();
  await db.destroy();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
});
