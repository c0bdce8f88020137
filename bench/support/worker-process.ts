import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../db/embedded-postgres.ts';

const WORKER_MAIN = fileURLToPath(new URL('../../workers/main.ts', import.meta.url));

/** `npm run worker` in a child process on the bench's database and Temporal; resolves once it reports healthy. */
export async function startWorkerProcess(options: { databaseUrl: string; temporalAddress: string; appSecret: string; env?: Record<string, string> }): Promise<{ pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  // BENCH_WORKER_PROFILE=DIR: the worker runs under `node --cpu-prof` (a profile per thread, written into DIR when it stops).
  const profile = process.env.BENCH_WORKER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', WORKER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: 'bench',
      PUBLIC_URL: 'http://127.0.0.1',
      APP_SECRET: options.appSecret,
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the bench worker did not become healthy');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
