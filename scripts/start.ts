import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { config, type Config } from '../runtime/config.ts';
import { createFileLogger } from '../runtime/logger.ts';
import { join } from 'node:path';
import { exitOnSignals, exitWithLauncher, isShuttingDown, onShutdown, shutdown } from '../runtime/shutdown.ts';
import { createDb } from '../db/connection.ts';
import { openDatabaseServer } from '../db/database.ts';
import { migrateLatest } from '../db/migrate.ts';
import { seedDemoData } from '../db/seed/demo.ts';
import { seedCatalog } from '../db/seed/catalog.ts';
import { startApi } from '../api/server.ts';
import { connectTemporal } from '../api/temporal.ts';
import type { AppContext } from '../api/context.ts';
import { appKeys } from '../api/auth/app-keys.ts';
import { createMailer } from '../runtime/mail/mailer.ts';
import { createPulseboardWorker } from '../workers/worker.ts';
import { recoverActors, watchActorRecovery } from '../api/actor-recovery.ts';
import { openTemporal } from './temporal.ts';
import { startDemoStore } from './demo-store.ts';
import { seedDemoBookings } from './demo-bookings.ts';
import { ensureWebBuild } from './web-build.ts';

/** `npm start`: every part of Pulseboard on embedded defaults, in order, one line of progress each. */
const started = performance.now();

function line(mark: string, part: string, detail: string, since: number): void {
  const seconds = ((performance.now() - since) / 1000).toFixed(1);
  console.log(`${mark} ${part.padEnd(12)} ${detail} (${seconds} s)`);
}

/** Thrown by a step begun, or failed, after Ctrl-C: the parts are being stopped, nothing went wrong. */
class StoppedWhileStarting extends Error {}

async function step<T>(part: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> {
  if (isShuttingDown()) throw new StoppedWhileStarting(part);
  const since = performance.now();
  try {
    const value = await run();
    line('✔', part, describe(value), since);
    return value;
  } catch (error) {
    // A part fails when the stop took what it needed (the database, say): that is the stop, not a failure.
    if (isShuttingDown()) throw new StoppedWhileStarting(part);
    line("✘", part, error instanceof Error ? error.message : String(error), since);
    throw error;
  }
}

function actorsLine({ jobs, events, stores, digestStarted }: { jobs: number; events: number; stores: number; digestStarted: boolean }): string {
  const waiting = events ? `; ${events} waiting webhook event${events === 1 ? '' : 's'} of ${stores} store${stores === 1 ? '' : 's'} handed over` : '';
  return `${jobs} enabled job${jobs === 1 ? '' : 's'}, one actor each${waiting}${digestStarted ? '; alert digest actor started' : ''}`;
}

async function main(): Promise<void> {
  exitOnSignals((message) => console.log(message));
  // A kill -9 of npm (or tsx) ends it alone: every part stops then, as on Ctrl-C.
  exitWithLauncher((message) => console.log(message));
  // One machine, its own services: the demo store's stand-in for Shopify and jobs aimed at this
  // machine live on loopback. The production entries (npm run api / worker) keep it off.
  if (process.env.NODE_ENV !== 'production') process.env.ALLOW_LOOPBACK_TARGETS ??= 'true';
  const settings = await step('config', async () => config(), (c) => `${c.NODE_ENV}, data in ${c.dataDir}${c.ALLOW_LOOPBACK_TARGETS ? ', loopback targets allowed' : ''}`);
  const logFile = join(settings.dataDir, 'pulseboard.log');
  const log = createFileLogger(settings.LOG_LEVEL, logFile);

  const database = await step(
    'PostgreSQL',
    () => openDatabaseServer({ databaseUrl: settings.DATABASE_URL, dataDir: settings.dataDir }),
    (d) => (d.embedded ? `embedded 18, ${new URL(d.url).host}` : `DATABASE_URL ${new URL(d.url).host}`),
  );
  onShutdown('PostgreSQL', database.stop);
  const db = createDb(database.url, 20);
  onShutdown('database pool', () => db.destroy());

  await step('migrations', () => migrateLatest(db), (applied) => (applied.length ? `applied ${applied.length}` : 'up to date'));
  const logins = await step(
    'demo data',
    async () => {
      const people = await seedDemoData(db);
      await seedCatalog(db);
      return people;
    },
    (list) => `${list.length} demo people, their services and hours`,
  );

  const temporalServer = await step(
    'Temporal',
    () => openTemporal({ address: settings.TEMPORAL_ADDRESS, uiUrl: settings.TEMPORAL_UI_URL, databaseUrl: database.url, dataDir: settings.dataDir, namespace: settings.TEMPORAL_NAMESPACE }),
    (t) => `${t.kind}, ${t.address}`,
  );
  onShutdown('Temporal server', temporalServer.stop);
  // The admin inspector links each actor to its page in the Temporal UI this server brought.
  const settingsWithUi = { ...(temporalServer.uiUrl ? { ...settings, TEMPORAL_UI_URL: temporalServer.uiUrl } : settings), ...demoShopifyApp(settings) };
  const temporal = await connectTemporal(temporalServer.address, settings.TEMPORAL_NAMESPACE, settings.TEMPORAL_TASK_QUEUE);
  onShutdown('Temporal client', temporal.close);

  const mailer = createMailer(settings, db);
  const ctx: AppContext = { config: settingsWithUi, db, log, temporal, mailer };
  const publicUrl = settings.PUBLIC_URL ?? `http://${settings.HOST}:${settings.PORT}`;
  const { worker } = await step(
    'worker',
    async () =>
      createPulseboardWorker({
        address: temporalServer.address,
        namespace: settings.TEMPORAL_NAMESPACE,
        taskQueue: settings.TEMPORAL_TASK_QUEUE,
        db,
        mailer,
        publicUrl,
        linkKey: (await appKeys(ctx)).bookingLink,
        allowLoopbackTargets: ctx.config.ALLOW_LOOPBACK_TARGETS,
      }),
    () => `task queue ${settings.TEMPORAL_TASK_QUEUE}`,
  );
  const running = worker.run();
  // Its connection closes later (createPulseboardWorker registered that first), once the windows went back through it.
  const stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };

  // What an earlier run left waiting is handed over now, and again after any outage of Temporal.
  await step('actors', () => recoverActors(ctx), actorsLine);
  onShutdown('actor recovery', watchActorRecovery(ctx, log));
  await step('web app', ensureWebBuild, (built) => (built ? 'built web-vue/dist' : 'web-vue/dist is current'));
  const api = await step('API', () => startApi(ctx, settings.PORT, settings.HOST), (a) => a.url);
  onShutdown('API', api.close);
  const demoStore = await step(
    'demo store',
    () => startDemoStore({ ctx, apiUrl: api.url, log: (message) => log.warn(message) }),
    (store) => (store ? 'installed the Shopify app from a local fake Shopify; sending webhooks to Acme Ops' : 'off (no demo organization)'),
  );
  if (demoStore) onShutdown('demo store', demoStore.stop);
  // Shutdown runs last-registered first: the worker stops polling before anything it uses goes away.
  onShutdown('worker', stopWorker);
  await step('bookings', () => seedDemoBookings(ctx, api.url), (made) => (made ? `${made} demo bookings of Paul Painter's services, on his board` : 'demo bookings kept as they are'));

  console.log(`\nPulseboard is ready in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  console.log(`  Web app      ${publicUrl}/`);
  console.log(`  Dev outbox   ${publicUrl}/dev/outbox${settings.SMTP_URL ? ' (off: SMTP_URL is set)' : ''}`);
  console.log(`  Health       ${publicUrl}/health`);
  console.log(`  Log          ${logFile}`);
  console.log(`  Temporal     ${temporalServer.address}${temporalServer.uiUrl ? `, UI ${temporalServer.uiUrl}` : ''}`);
  console.log('\nDemo logins:');
  for (const login of logins) {
    const org = login.organization ? ` (${login.organization.role} of ${login.organization.name})` : '';
    console.log(`  ${login.label.padEnd(11)} ${login.email.padEnd(34)} ${login.password}${org}`);
  }
  console.log('\nCtrl-C stops everything.');
}

/**
 * The demo store installs the Shopify app from a fake Shopify on 127.0.0.1 (loopback targets are
 * allowed outside production, above): a demo app stands in where no real one is configured.
 */
function demoShopifyApp(settings: Config): Partial<Config> {
  if (settings.NODE_ENV === 'production') return {};
  return {
    SHOPIFY_API_KEY: settings.SHOPIFY_API_KEY ?? 'pulseboard-demo-app',
    SHOPIFY_API_SECRET: settings.SHOPIFY_API_SECRET ?? randomBytes(32).toString('base64url'),
  };
}

main().catch(async (error: Error) => {
  // Ctrl-C while starting: the signal handler stops the parts and exits 0.
  if (error instanceof StoppedWhileStarting) return;
  console.error(error.stack ?? error.message);
  await shutdown((message) => console.log(message));
  process.exit(1);
});
