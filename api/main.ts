import { config } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { exitOnSignals, onShutdown } from '../runtime/shutdown.ts';
import { createDb } from '../db/connection.ts';
import { connectTemporal } from './temporal.ts';
import { startApi } from './server.ts';
import { watchActorRecovery } from './actor-recovery.ts';

/** `npm run api`: one API process against DATABASE_URL and TEMPORAL_ADDRESS (run several side by side). */
const settings = config();
const log = createLogger(settings.LOG_LEVEL, 'api');
if (!settings.DATABASE_URL || !settings.TEMPORAL_ADDRESS) {
  log.fatal('npm run api needs DATABASE_URL and TEMPORAL_ADDRESS; npm start runs everything on embedded defaults');
  process.exit(1);
}
exitOnSignals((line) => log.info(line));
const db = createDb(settings.DATABASE_URL);
onShutdown('database pool', () => db.destroy());
const temporal = await connectTemporal(settings.TEMPORAL_ADDRESS, settings.TEMPORAL_NAMESPACE, settings.TEMPORAL_TASK_QUEUE);
onShutdown('Temporal connection', temporal.close);
const ctx = { config: settings, db, log, temporal };
// Events and cron actors an outage or a stopped deployment left waiting: now, and after every outage.
onShutdown('actor recovery', watchActorRecovery(ctx, log, { sweepNow: true }));
const api = await startApi(ctx, settings.PORT, settings.HOST);
onShutdown('API', api.close);
log.info({ url: api.url }, 'API listening');
