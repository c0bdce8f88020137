import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../db/embedded-postgres.ts';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_LINE = 'Ctrl-C stops everything.';

export interface StartedProduct {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr as they came. */
  output(): string;
  /** Milliseconds from spawning to its last line of the first screen. */
  readyMs: number;
  /** Ctrl-C as a terminal sends it, to the whole process group; then its exit code. */
  interrupt(): Promise<number | null>;
}

/**
 * `npm start` as a person runs it (tsx scripts/start.ts, development, the embedded parts), on a
 * data folder of its own and a free port, resolved once it has printed its first screen (or
 * `until`, a line it prints on the way).
 */
export async function startProduct(dataDir: string, { timeoutMs = 180_000, until = READY_LINE } = {}): Promise<StartedProduct> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), NODE_ENV: 'development', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const started = performance.now();
  // A process group of its own, as a terminal gives a command it runs in the foreground.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const readyMs = await new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      if (output.includes(until)) finish(() => resolve(performance.now() - started));
      else if (child.exitCode !== null || performance.now() - started > timeoutMs) finish(() => reject(new Error(`npm start did not come up:\n${output}`)));
    }, 50);
    const finish = (then: () => void) => {
      clearInterval(poll);
      then();
    };
  });
  return {
    child,
    output: () => output,
    readyMs,
    interrupt: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
      return exited;
    },
  };
}
