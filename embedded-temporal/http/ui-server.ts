/**
 * The UI port, as `temporal server start-dev` has one: the Temporal Web UI and, under /api/v1,
 * the HTTP/JSON API it calls. The UI is built on first use (see ui/build.ts); until then the
 * API answers and the pages say the UI is on its way.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../grpc/service.ts';
import type { Logger } from '../logger.ts';
import { ensureUiBuild, isUiBuilt, UI_VERSION, uiBuildDir } from '../ui/build.ts';
import { serveApi } from './api.ts';
import { serveBuilding, serveStatic } from './static-files.ts';

export interface UiServerOptions {
  ip: string;
  port: number;
  /** Every RPC the API may call, by method name. */
  handlers: Handlers;
  writeActions: boolean;
  defaultNamespace: string;
  log: Logger;
}

export interface RunningUiServer {
  url: string;
  stop(): Promise<void>;
}

export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const api = { handlers: options.handlers, writeActions: options.writeActions, defaultNamespace: options.defaultNamespace, uiVersion: UI_VERSION, log: options.log };
  let uiDir: string | undefined = isUiBuilt() ? uiBuildDir() : undefined;
  let buildFailure: string | undefined;
  const building = new AbortController();
  if (!uiDir) {
    options.log.info('building the Temporal UI in the background (once)');
    ensureUiBuild({ signal: building.signal }).then(
      (dir) => (uiDir = dir),
      (err: Error) => {
        if (building.signal.aborted) return;
        buildFailure = err.message;
        options.log.error({ err }, 'Temporal UI build failed');
      },
    );
  }

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const done = (err: unknown) => {
      options.log.error({ err, path }, 'UI request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    };
    if (path.startsWith('/api/')) serveApi(api, req, res).catch(done);
    else if (req.method !== 'GET' && req.method !== 'HEAD') res.writeHead(405, { allow: 'GET, HEAD' }).end();
    else if (uiDir) serveStatic(uiDir, req, res).catch(done);
    else serveBuilding(res, buildFailure);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.ip, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.ip}:${port}`,
    stop: async () => {
      building.abort();
      server.closeAllConnections(); // long polls of open pages would hold the close otherwise
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
