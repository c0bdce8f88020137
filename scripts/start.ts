import { performance } from 'node:perf_hooks';
import { config } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { exitOnSignals, onShutdown, shutdown } from '../runtime/shutdown.ts';
import { createDb } from '../db/connection.ts';
import { openDatabaseServer } from '../db/database.ts';
import { migrateLatest } from '../db/migrate.ts';
import { startApi } from '../api/server.ts';
import { ensureWebBuild } from './web-build.ts';

/** `npm start`: every part of Pulseboard on embedded defaults, in order, one line of progress each. */
const started = performance.now();

function line(mark: string, part: string, detail: string, since: number): void {
  const seconds = ((performance.now() - since) / 1000).toFixed(1);
  console.log(`${mark} ${part.padEnd(12)} ${detail} (${seconds} s)`);
}

async function step<T>(part: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> {
  const since = performance.now();
  try {
    const value = await run();
    line('✔', part, describe(value), since);
    return value;
  } catch (error) {
    line('✘', part, (error as Error).message, since);
    throw error;
  }
}

async function main(): Promise<void> {
  exitOnSignals((message) => console.log(message));
  const settings = await step('config', async () => config(), (c) => `${c.NODE_ENV}, data in ${c.dataDir}`);
  const log = createLogger(settings.LOG_LEVEL);

  const database = await step(
    'PostgreSQL',
    () => openDatabaseServer({ databaseUrl: settings.DATABASE_URL, dataDir: settings.dataDir }),
    (d) => (d.embedded ? `embedded 18, ${new URL(d.url).host}` : `DATABASE_URL ${new URL(d.url).host}`),
  );
  onShutdown('PostgreSQL', database.stop);
  const db = createDb(database.url);
  onShutdown('database pool', () => db.destroy());

  await step('migrations', () => migrateLatest(db), (applied) => (applied.length ? `applied ${applied.length}` : 'up to date'));
  await step('web app', ensureWebBuild, (built) => (built ? 'built web-vue/dist' : 'web-vue/dist is current'));

  const api = await step('API', () => startApi({ config: settings, db, log, temporal: null }, settings.PORT, settings.HOST), (a) => a.url);
  onShutdown('API', api.close);

  console.log(`\nPulseboard is ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`  Web app   ${api.url}/`);
  console.log(`  Health    ${api.url}/health`);
  console.log('\nCtrl-C stops everything.');
}

main().catch(async () => {
  await shutdown((message) => console.log(message));
  process.exit(1);
});
