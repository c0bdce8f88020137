import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../db/embedded-postgres.ts';
import { TEMPORAL_BIN } from '../../embedded-temporal/testing.ts';

export interface BenchServer {
  address: string;
  /** The server's process (its PostgreSQL runs under it); none for a server at TEMPORAL_ADDRESS. */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * The embedded server as its own process, so that its CPU and memory are measured alone; or, with
 * TEMPORAL_ADDRESS, that server (then unmeasured). BENCH_SERVER_PROFILE=DIR runs it under
 * `node --cpu-prof` (not allowed in NODE_OPTIONS), its profile written into DIR.
 */
export async function startBenchServer(): Promise<BenchServer> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, stop: async () => {} };
  const port = await freePort();
  const args = ['server', 'start-dev', '--port', String(port), '--headless'];
  const profile = process.env.BENCH_SERVER_PROFILE;
  const child = profile
    ? spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx', fileURLToPath(new URL('../../embedded-temporal/cli.ts', import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(TEMPORAL_BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
