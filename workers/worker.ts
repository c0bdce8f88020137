import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { installQuietRuntime } from '../runtime/temporal-runtime.ts';
import { nativeConnectionOptions } from '../runtime/temporal-connection.ts';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.ts';
import type { Mailer } from '../runtime/mail/mailer.ts';
import { createActivities } from '../activities/index.ts';
import { cachedWorkflowBundle } from './workflow-bundle-cache.ts';
import { WORKFLOW_OUTCOMES_MODULE, activityRetryCounter, workflowOutcomeSinks } from './worker-metrics.ts';
import { onShutdown } from '../runtime/shutdown.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** luxon's CommonJS build: the one cron-parser requires. */
const LUXON = createRequire(import.meta.url).resolve('luxon');

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  /** Signs the accept / decline links in providers' emails. */
  linkKey: Uint8Array;
  /** Whether customers' addresses may be on 127.0.0.1 (tests); this process's ALLOW_LOOPBACK_TARGETS unless given. */
  allowLoopbackTargets?: boolean;
  /** A bundle built once and shared (tests build several workers from one). */
  workflowBundle?: WorkflowBundle;
  /** host:port for the SDK's Prometheus metrics (TEMPORAL_SDK_METRICS); none unless given. */
  sdkMetricsAddress?: string;
}

/**
 * Bundles the workflow code once; `Worker.create` would otherwise redo it for every worker.
 * `outcomeMetrics` adds the interceptor that reports how runs end; a worker on that bundle must
 * register its sinks (createPulseboardWorker does), or the SDK logs an error for each ending.
 */
export function bundleWorkflows(options: { outcomeMetrics?: boolean } = {}): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: options.outcomeMetrics ? [WORKFLOW_OUTCOMES_MODULE] : [],
    logger: quietBundler,
    // cron-parser's file reader (CronFileParser) comes along with its expression parser; workflows never call it.
    ignoreModules: ['fs', 'fs/promises'],
    // Evaluated once per worker instead of once per run: otherwise every new booking actor evaluates
    // the workflow API, luxon and the cron actor's cron-parser anew. None keeps per-run state.
    preloadModules: ['@temporalio/workflow', 'luxon', 'cron-parser'],
    webpackConfigHook: (config) => ({
      ...config,
      // One luxon: the domain's `import` would otherwise get its ES build beside the CommonJS one
      // cron-parser requires, and that second copy was evaluated again for every run created.
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), luxon$: LUXON } },
      // luxon says it has no side effects, so webpack dropped its preload (nothing uses the value).
      module: { ...config.module, rules: [...(config.module?.rules ?? []), { test: /[\\/]node_modules[\\/]luxon[\\/]/, sideEffects: true }] },
    }),
  });
}

/** The bundle a product worker runs (with the outcome interceptor), from the cache when its sources did not change. */
export function productBundle(): Promise<WorkflowBundle> {
  return cachedWorkflowBundle(() => bundleWorkflows({ outcomeMetrics: true }));
}

/** What the cron actors' windows of fires need of a worker that runs them (the product's, the cron bench's). */
export const FIRE_WINDOW_WORKER_OPTIONS = {
  // A window of fires completes asynchronously (window-scheduler.ts): its activity holds a slot only
  // while it is handed to the scheduler. At 10,000 jobs a few hundred hand over within seconds (and
  // after a crash a process's windows all come back at once): more than the SDK's default of 100.
  maxConcurrentActivityTaskExecutions: 1_000,
} satisfies Partial<WorkerOptions>;

/**
 * How many runs a product worker keeps cached. A cached run holds about half a megabyte; the SDK's
 * default (sized from a 4 GB heap, ~2,300 runs) took a worker past 1 GB with 2,000 cron actors
 * (bench/cron-scale), and 1,000 runs still 1,171 MB (500: 904 MB). An actor evicted meanwhile
 * replays its short history (it continues as new every 100 fires) when it next wakes. A cron actor's
 * hand-over is two tasks 30 s apart: at 10,000 staggered jobs some 340 others come between them, so
 * 500 still keeps it cached for the second.
 */
export const MAX_CACHED_WORKFLOWS = 500;

const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => console.error(message), log() {} } as never;

/** One worker on the product's task queue: every workflow, every activity. */
export async function createPulseboardWorker(settings: WorkerSettings, log?: Logger): Promise<{ worker: Worker; connection: NativeConnection }> {
  installQuietRuntime('WARN', settings.sdkMetricsAddress);
  const connection = await NativeConnection.connect(nativeConnectionOptions(settings.address));
  // Closed after everything the activities hand back through it at shutdown (their closers are registered after this one).
  onShutdown('worker connection', () => connection.close());
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowBundle: settings.workflowBundle ?? (await productBundle()),
    activities: createActivities({ db: settings.db, mailer: settings.mailer, publicUrl: settings.publicUrl, linkKey: settings.linkKey, allowLoopbackTargets: settings.allowLoopbackTargets }),
    interceptors: { activity: [activityRetryCounter] },
    ...FIRE_WINDOW_WORKER_OPTIONS,
    maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
    sinks: workflowOutcomeSinks,
  });
  log?.debug({ taskQueue: settings.taskQueue }, 'worker created');
  return { worker, connection };
}
