import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from '../db/embedded-postgres.ts';

export interface TemporalServer {
  address: string;
  /** Where the Temporal Web UI is, when this server has one. */
  uiUrl: string | null;
  kind: 'TEMPORAL_ADDRESS' | 'temporal CLI' | 'embedded';
  stop: () => Promise<void>;
}

/** TEMPORAL_ADDRESS when given; else a `temporal` CLI on the PATH (start-dev); else the embedded server. */
export async function openTemporal(options: { address?: string; uiUrl?: string; databaseUrl: string; dataDir: string; namespace: string }): Promise<TemporalServer> {
  if (options.address) return { address: options.address, uiUrl: options.uiUrl ?? null, kind: 'TEMPORAL_ADDRESS', stop: async () => {} };
  if (spawnSync('temporal', ['--version'], { stdio: 'ignore' }).status === 0) return startCli(options);
  const { startTemporalServer } = await import('../embedded-temporal/index.ts');
  const server = await startTemporalServer({ port: await freePort(), ip: '127.0.0.1', namespace: options.namespace, databaseUrl: options.databaseUrl, logLevel: 'warn' });
  return { address: server.address, uiUrl: options.uiUrl ?? null, kind: 'embedded', stop: server.stop };
}

async function startCli(options: { dataDir: string; namespace: string }): Promise<TemporalServer> {
  const port = await freePort();
  const uiPort = await freePort();
  const child = spawn(
    'temporal',
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--namespace', options.namespace, '--db-filename', join(options.dataDir, 'temporal.db'), '--log-level', 'warn'],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 30_000);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    kind: 'temporal CLI',
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Temporal did not open port ${port} within ${timeoutMs / 1000} s`);
}
