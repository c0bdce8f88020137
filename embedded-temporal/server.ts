/**
 * Assembles a server: store, engine, gRPC services on a port. With no database URL it runs
 * its own throwaway embedded PostgreSQL.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { Engine } from './engine/engine.ts';
import { SearchAttributeRegistry } from './engine/search-attribute-registry.ts';
import { TimeSkipper } from './engine/time-skipping.ts';
import { installFastDecompression } from './grpc/fast-decompression.ts';
import { addProtoService } from './grpc/service.ts';
import { testServiceHandlers } from './handlers/test-service.ts';
import { scheduleServiceHandlers } from './handlers/schedule-service.ts';
import { searchAttributeHandlers } from './handlers/search-attribute-service.ts';
import { workflowServiceHandlers } from './handlers/workflow-service.ts';
import { nexusEndpointHandlers } from './handlers/nexus-endpoint-service.ts';
import { uiHandlers } from './http/ui-handlers.ts';
import { startUiServer } from './http/ui-server.ts';
import { createLogger } from './logger.ts';
import { ScheduleStore } from './schedules/schedule-store.ts';
import { Schedules } from './schedules/schedules.ts';
import { Store } from './store/store.ts';
import { startThrowawayPostgres } from './throwaway-postgres.ts';

export interface ServerOptions {
  port?: number;
  ip?: string;
  /** Namespaces to create besides `default`. */
  namespaces?: string[];
  databaseUrl?: string;
  logLevel?: string;
  /** Serve the TestService and skip time when idle (for createTimeSkipping). */
  timeSkipping?: boolean;
  /** Serve the Temporal Web UI and its HTTP API on this port (0: any free one); no UI when unset. */
  uiPort?: number;
  /** Let the UI cancel, terminate, signal, reset and start workflows. */
  uiWriteActions?: boolean;
  /** Custom search attributes and their IndexedValueTypes (`--search-attribute Name=Type`). */
  searchAttributes?: Record<string, string>;
  /** Dynamic config values by key (`--dynamic-config-value KEY=VALUE`); see engine/dynamic-config.ts. */
  dynamicConfig?: Record<string, unknown>;
}

export interface RunningServer {
  address: string;
  port: number;
  /** The Temporal Web UI, when it is served. */
  uiUrl?: string;
  stop(): Promise<void>;
}

export async function runServer(opts: ServerOptions): Promise<RunningServer> {
  const log = createLogger(opts.logLevel);
  let stopPostgres = async () => {};
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const pg = await startThrowawayPostgres();
    databaseUrl = pg.url;
    stopPostgres = pg.stop;
  }
  try {
    const store = await Store.open(databaseUrl);
    const searchAttributes = await SearchAttributeRegistry.open(databaseUrl, opts.searchAttributes);
    const engine = new Engine(store, log, { searchAttributes, dynamicConfig: opts.dynamicConfig });
    // Endpoints first: recovering runs offers their Nexus requests on the endpoints' queues.
    await engine.nexusEndpoints.open(databaseUrl);
    await engine.init(['default', ...(opts.namespaces ?? [])]);
    installFastDecompression();
    const grpc = new Server({
      'grpc.max_receive_message_length': 128 * 1024 * 1024,
      'grpc.max_send_message_length': 128 * 1024 * 1024,
      // Channelz keeps per-call statistics nobody reads here; it costs CPU on every call.
      'grpc.enable_channelz': 0,
    });
    const scheduleStore = await ScheduleStore.open(databaseUrl);
    const schedules = new Schedules(engine, scheduleStore);
    await schedules.init();
    const workflowHandlers = { ...workflowServiceHandlers(engine), ...scheduleServiceHandlers(schedules) };
    const operatorHandlers = { ...nexusEndpointHandlers(engine), ...searchAttributeHandlers(engine) };
    const ui = opts.uiPort === undefined ? undefined : uiHandlers(engine, workflowHandlers, operatorHandlers);
    addProtoService(grpc, 'temporal.api.workflowservice.v1.WorkflowService', ui?.grpc ?? workflowHandlers, log);
    addProtoService(grpc, 'temporal.api.operatorservice.v1.OperatorService', operatorHandlers, log);
    if (opts.timeSkipping) addProtoService(grpc, 'temporal.api.testservice.v1.TestService', testServiceHandlers(engine, new TimeSkipper(engine)), log);
    const ip = opts.ip ?? '127.0.0.1';
    const port = await new Promise<number>((resolve, reject) =>
      grpc.bindAsync(`${ip}:${opts.port ?? 0}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    log.info({ port }, 'embedded-temporal listening');
    const uiServer = ui && (await startUiServer({ ip, port: opts.uiPort!, handlers: ui.http, writeActions: !!opts.uiWriteActions, defaultNamespace: opts.namespaces?.[0] ?? 'default', log }));
    let stopped: Promise<void> | undefined;
    return {
      address: `${ip}:${port}`,
      port,
      uiUrl: uiServer?.url,
      stop: () =>
        (stopped ??= (async () => {
          await uiServer?.stop();
          engine.stop();
          schedules.stop();
          engine.matching.releaseAll();
          // Calls still running (history or update long polls) get a moment, then are cut.
          await Promise.race([new Promise<void>((resolve) => grpc.tryShutdown(() => resolve())), new Promise((r) => setTimeout(r, 500))]);
          grpc.forceShutdown();
          await store.close();
          await scheduleStore.close();
          await searchAttributes.close();
          await engine.nexusEndpoints.close();
          await stopPostgres();
        })()),
    };
  } catch (err) {
    await stopPostgres();
    throw err;
  }
}
