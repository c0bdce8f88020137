/** embedded-temporal: a Temporal server in TypeScript, state in PostgreSQL. See README.md. */
import { parseSearchAttributeFlag } from './engine/search-attributes.ts';
import { runServer } from './server.ts';

export interface StartTemporalServerOptions {
  port?: number;
  ip?: string;
  namespace?: string;
  databaseUrl?: string;
  logLevel?: string;
  /** Custom search attributes by name, typed as the CLI's flag types them: 'Keyword', 'Datetime', 'Int'... */
  searchAttributes?: Record<string, string>;
  /** Dynamic config values, as `--dynamic-config-value KEY=VALUE` sets them: { 'limit.blobSize.error': 1024 }. */
  dynamicConfig?: Record<string, unknown>;
}

/** Starts the server in this process; `default` (and `namespace`, if given) exist. */
export async function startTemporalServer(opts: StartTemporalServerOptions = {}): Promise<{ address: string; port: number; stop(): Promise<void> }> {
  return runServer({
    port: opts.port,
    ip: opts.ip,
    namespaces: opts.namespace && opts.namespace !== 'default' ? [opts.namespace] : [],
    databaseUrl: opts.databaseUrl ?? process.env.TEMPORAL_DB_URL,
    logLevel: opts.logLevel,
    dynamicConfig: opts.dynamicConfig,
    searchAttributes: Object.fromEntries(Object.entries(opts.searchAttributes ?? {}).map(([name, type]) => parseSearchAttributeFlag(`${name}=${type}`))),
  });
}

export { runServer, type ServerOptions, type RunningServer } from './server.ts';
