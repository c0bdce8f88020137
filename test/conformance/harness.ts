/**
 * Shared set-up of the conformance suite: one server per test file (embedded, or the real one
 * at TEMPORAL_ADDRESS), a client, and workers built from a workflow bundle made once.
 */
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startTemporalServer } from '../../embedded-temporal/index.ts';
import * as activities from './activities.ts';

export const REAL_SERVER = process.env.TEMPORAL_ADDRESS;


let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./workflows/index.ts', import.meta.url)), logger: new DefaultLogger('ERROR') });
  return bundle;
}

export interface Env {
  address: string;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  taskQueue: string;
  worker(options?: { taskQueue?: string; maxCachedWorkflows?: number }): Promise<Worker>;
  /** Runs `fn` while a worker polls the env's task queue. */
  withWorker<T>(fn: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * `searchAttributes`: custom ones to register by name and type ('Keyword', 'Datetime'...), as
 * `--search-attribute` does; `dynamicConfig`: values as `--dynamic-config-value` sets them (a
 * real server at TEMPORAL_ADDRESS must have been started with the same).
 */
export async function startEnv(
  opts: { databaseUrl?: string; searchAttributes?: Record<string, string>; dynamicConfig?: Record<string, unknown> } = {},
): Promise<Env> {
  installQuietRuntime('ERROR');
  let server = REAL_SERVER ? undefined : await startTemporalServer(opts);
  const address = REAL_SERVER ?? server!.address;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection });
  const taskQueue = `conformance-${randomUUID()}`;
  const env: Env = {
    address,
    client,
    connection,
    nativeConnection,
    taskQueue,
    async worker(options = {}) {
      return Worker.create({
        connection: nativeConnection,
        taskQueue: options.taskQueue ?? taskQueue,
        workflowBundle: await workflowBundle(),
        activities,
        maxCachedWorkflows: options.maxCachedWorkflows,
        shutdownGraceTime: '100ms',
      });
    },
    async withWorker(fn) {
      const worker = await env.worker();
      return worker.runUntil(fn());
    },
    async stop() {
      await connection.close();
      await nativeConnection.close();
      await server?.stop();
    },
  };
  return env;
}

export const id = (prefix: string) => `${prefix}-${randomUUID()}`;
