/** embedded-temporal: a Temporal server in TypeScript, state in PostgreSQL. See README.md. */
import { runServer } from './server.ts';

export interface StartTemporalServerOptions {
  port?: number;
  ip?: string;
  namespace?: string;
  databaseUrl?: string;
  logLevel?: string;
}

/** Starts the server in this process; `default` (and `namespace`, if given) exist. */
export async function startTemporalServer(opts: StartTemporalServerOptions = {}): Promise<{ address: string; port: number; stop(): Promise<void> }> {
  return runServer({
    port: opts.port,
    ip: opts.ip,
    namespaces: opts.namespace && opts.namespace !== 'default' ? [opts.namespace] : [],
    databaseUrl: opts.databaseUrl ?? process.env.TEMPORAL_DB_URL,
    logLevel: opts.logLevel,
  });
}

export { runServer, type ServerOptions, type RunningServer } from './server.ts';
