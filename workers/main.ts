import { createServer } from 'node:http';
import { config } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { exitOnSignals, onShutdown, shutdown } from '../runtime/shutdown.ts';
import { createDb } from '../db/connection.ts';
import { appKeys } from '../api/auth/app-keys.ts';
import { metricsHandler } from '../api/routes/metrics.ts';
import { createMailer } from '../runtime/mail/mailer.ts';
import { createPulseboardWorker } from './worker.ts';

/**
 * `npm run worker`: one worker process against DATABASE_URL and TEMPORAL_ADDRESS; run as many as the
 * load needs, they share the task queue. On PORT it answers /health (database reachable, worker
 * running) for the orchestrator and /metrics (workflow outcomes, activity retries, cron lateness).
 */
const settings = config();
const log = createLogger(settings.LOG_LEVEL, 'worker');
if (!settings.DATABASE_URL || !settings.TEMPORAL_ADDRESS || !settings.PUBLIC_URL) {
  log.fatal('npm run worker needs DATABASE_URL, TEMPORAL_ADDRESS and PUBLIC_URL (the web app, for links in emails); npm start runs everything on embedded defaults');
  process.exit(1);
}
exitOnSignals((line) => log.info(line));
const db = createDb(settings.DATABASE_URL);
onShutdown('database pool', () => db.destroy());
const mailer = createMailer(settings, db);
const { bookingLink } = await appKeys({ config: settings, db, log, temporal: null, mailer });
const { worker } = await createPulseboardWorker(
  {
    address: settings.TEMPORAL_ADDRESS,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    db,
    mailer,
    publicUrl: settings.PUBLIC_URL,
    linkKey: bookingLink,
    sdkMetricsAddress: settings.TEMPORAL_SDK_METRICS,
  },
  log,
);
const running = worker.run();
// Its connection closes later (createPulseboardWorker registered that first), once the windows went back through it.
onShutdown('worker', async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
});
// A worker that stops on its own (a fatal error) takes the process with it, so the orchestrator restarts it.
running.catch(async (error: Error) => {
  log.fatal({ err: error.message }, 'worker stopped');
  await shutdown((line) => log.info(line));
  process.exit(1);
});

const metrics = metricsHandler();
const probes = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/metrics') return metrics(req, res);
  if (req.method !== 'GET' || req.url !== '/health') return void res.writeHead(404).end();
  db.raw('select 1').then(
    () => worker.getState() === 'RUNNING',
    () => false,
  ).then((ok) => {
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', worker: worker.getState() }));
  });
});
await new Promise<void>((resolve) => probes.listen(settings.PORT, settings.HOST, resolve));
onShutdown('probe server', () => new Promise<void>((resolve) => probes.close(() => resolve())));
log.info({ taskQueue: settings.TEMPORAL_TASK_QUEUE, probes: `http://${settings.HOST}:${settings.PORT}` }, 'worker running');
