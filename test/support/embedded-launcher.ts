/**
 * The children `npm start` starts, started the way it starts them (the embedded PostgreSQL and
 * Temporal server, under DATA_DIR), and stopped the way it stops them: on a signal or when its own
 * launcher goes. Prints "ready" once both run. For the test that kills launchers (orphans.test.ts).
 */
import { exitOnSignals, exitWithLauncher, onShutdown } from '../../runtime/shutdown.ts';
import { openDatabaseServer } from '../../db/database.ts';
import { openTemporal } from '../../scripts/temporal.ts';

const log = (line: string) => console.error(line);
exitOnSignals(log);
exitWithLauncher(log);
const dataDir = process.env.DATA_DIR!;
const database = await openDatabaseServer({ dataDir });
onShutdown('PostgreSQL', database.stop);
const temporal = await openTemporal({ databaseUrl: database.url, dataDir, namespace: 'default' });
onShutdown('Temporal server', temporal.stop);
console.log('ready');
setInterval(() => {}, 60_000);
