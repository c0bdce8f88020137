import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { stopWithThisProcess } from '../db/child-watchdog.ts';
import { preferredOrFreePort } from './ports.ts';

export interface TemporalServer {
  address: string;
  /** Where the Temporal Web UI is, when this server has one. */
  uiUrl: string | null;
  kind: 'TEMPORAL_ADDRESS' | 'temporal CLI' | 'embedded';
  stop: () => Promise<void>;
}

const EMBEDDED_BIN = fileURLToPath(new URL('../embedded-temporal/bin/temporal', import.meta.url));

/**
 * TEMPORAL_ADDRESS when given; else a `temporal` CLI on the PATH; else the embedded server. Both
 * local ones run `server start-dev` in a process of their own, so the server has a core to itself.
 */
export async function openTemporal(options: { address?: string; uiUrl?: string; databaseUrl: string; dataDir: string; namespace: string; port?: number }): Promise<TemporalServer> {
  if (options.address) return { address: options.address, uiUrl: options.uiUrl ?? null, kind: 'TEMPORAL_ADDRESS', stop: async () => {} };
  // The `temporal server start-dev` defaults, when free; a given port (a restart on the same address) as asked.
  const port = options.port ?? (await preferredOrFreePort(7233));
  const common = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', options.namespace, '--log-level', 'warn'];
  if (spawnSync('temporal', ['--version'], { stdio: 'ignore' }).status === 0) {
    const uiPort = await preferredOrFreePort(8233);
    const stop = await startDevServer('temporal', [...common, '--ui-port', String(uiPort), '--db-filename', join(options.dataDir, 'temporal.db')], port);
    return { address: `127.0.0.1:${port}`, uiUrl: `http://127.0.0.1:${uiPort}`, kind: 'temporal CLI', stop };
  }
  // Its Web UI too, built on first start while the rest goes on (see embedded-temporal/ui/build.ts).
  const uiPort = await preferredOrFreePort(8233);
  const stop = await startDevServer(EMBEDDED_BIN, [...common, '--ui-port', String(uiPort), '--db-url', options.databaseUrl], port);
  return { address: `127.0.0.1:${port}`, uiUrl: options.uiUrl ?? `http://127.0.0.1:${uiPort}`, kind: 'embedded', stop };
}

/** A server that has not stopped this long after SIGTERM is stuck on a client that never hung up. */
const STOP_PATIENCE_MS = 5_000;

async function startDevServer(executable: string, args: string[], port: number): Promise<() => Promise<void>> {
  // A process group of its own: Ctrl-C reaches only us, and we stop the server after the worker
  // has said goodbye to it. Should we exit without stopping it, it goes with us; should we be
  // killed, the watchdog stops it.
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  if (child.pid) stopWithThisProcess(child.pid, 'TERM');
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.off('exit', killOnExit));
  await Promise.race([
    waitForPort(port, 30_000),
    exited.then(() => {
      throw new Error(`${executable} exited before it opened port ${port}`);
    }),
  ]);
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const patience = setTimeout(() => child.kill('SIGKILL'), STOP_PATIENCE_MS);
    await exited;
    clearTimeout(patience);
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
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Temporal did not open port ${port} within ${timeoutMs / 1000} s`);
}
