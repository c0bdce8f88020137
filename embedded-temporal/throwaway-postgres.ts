/**
 * The throwaway PostgreSQL used when no database URL is given. Two things make it fit for
 * tests that start many servers:
 * - speed: initdb runs once; later clusters are copies of that template (a copy is ~10x faster);
 * - no leaks: the SDK stops test servers with SIGKILL, which leaves no chance to stop PostgreSQL,
 *   so a tiny watchdog shell stops the cluster and removes its folder once our process is gone.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, rename, rm } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clusterFolder, startEmbeddedPostgres } from './postgres/embedded-postgres.ts';

const run = promisify(execFile);
const TEMPLATE = join(tmpdir(), 'embedded-temporal-pg-template');

export interface ThrowawayPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Makes the template cluster once (racing makers: the first rename wins). */
async function ensureTemplate(): Promise<void> {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return;
  const dir = await clusterFolder('embedded-temporal-');
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), durable: false });
  await pg.stop();
  await rename(join(dir, 'pg'), TEMPLATE).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  await ensureTemplate();
  const dir = await clusterFolder('embedded-temporal-');
  const dataDir = join(dir, 'pg');
  await run('cp', ['-a', TEMPLATE, dataDir]);
  const removeFolder = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeFolder);
  const pg = await startEmbeddedPostgres({ dataDir, durable: false });
  const postmasterPid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const watchdog = spawn(
    'sh',
    ['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; kill -INT "$2" 2>/dev/null; sleep 2; rm -rf "$3"', 'watchdog', String(process.pid), String(postmasterPid), dir],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  return {
    url: pg.url(),
    async stop() {
      await pg.stop();
      removeFolder();
      process.removeListener('exit', removeFolder);
    },
  };
}
