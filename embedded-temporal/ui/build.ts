/**
 * Builds the Temporal Web UI (the SvelteKit app in ./app around @temporalio/ui) into a static
 * folder, once: the output is cached under node_modules/.cache/temporal-ui/, keyed by the UI
 * library's version and the app's sources, so a changed app or an upgraded library builds anew.
 * Nothing is downloaded: Vite, SvelteKit and the library all come from node_modules.
 *
 * `tsx embedded-temporal/ui/build.ts` builds it if it is missing and prints where it is.
 *
 * The npm package ships the UI built (scripts/prepack.ts puts it beside this module's
 * JavaScript, in ui-build/): installed from npm, the server has neither the app's sources nor
 * Vite, and uses that folder as it is.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const APP_DIR = fileURLToPath(new URL('./app/', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/temporal-ui/', import.meta.url));
/** Two builds never run at once (npm start and a test, say): the second waits for the first. */
const LOCK = join(CACHE_DIR, 'building.lock');

/** The UI the npm package ships, built ahead. */
const SHIPPED_DIR = fileURLToPath(new URL('../ui-build/', import.meta.url));
const SHIPPED = existsSync(join(SHIPPED_DIR, 'BUILT_FROM'));

/** The version of @temporalio/ui, which the UI shows and settings report. */
export const UI_VERSION: string = SHIPPED
  ? readFileSync(join(SHIPPED_DIR, 'BUILT_FROM'), 'utf8').trim().split(' ').pop()!
  : JSON.parse(readFileSync(new URL('../../node_modules/@temporalio/ui/package.json', import.meta.url), 'utf8')).version;

function appFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? appFiles(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** Where this version of the app is (or will be) built. */
export function uiBuildDir(): string {
  if (SHIPPED) return SHIPPED_DIR;
  const hash = createHash('sha256').update(UI_VERSION);
  for (const file of appFiles(APP_DIR)) hash.update(relative(APP_DIR, file)).update(readFileSync(file));
  return join(CACHE_DIR, `${UI_VERSION}-${hash.digest('hex').slice(0, 12)}`);
}

export function isUiBuilt(dir = uiBuildDir()): boolean {
  return existsSync(join(dir, 'index.html'));
}

async function takeLock(): Promise<boolean> {
  await mkdir(CACHE_DIR, { recursive: true });
  try {
    await writeFile(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    // The lock of a build whose process is gone (killed mid-build) is taken over.
    const holder = Number(await readFile(LOCK, 'utf8').catch(() => ''));
    if (!isAlive(holder)) await rm(LOCK, { force: true });
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

function runVite(out: string, signal?: AbortSignal): Promise<void> {
  const vite = join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const work = `${out}.work`;
  const child = spawn(process.execPath, [vite, 'build'], {
    cwd: APP_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', TEMPORAL_UI_OUT: out, TEMPORAL_UI_KIT_DIR: join(work, 'kit'), TEMPORAL_UI_VITE_CACHE: join(work, 'vite') },
    signal,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Temporal UI build failed (exit ${code}): ${stderr.trim()}`))));
  });
}

/**
 * Builds the UI unless it is built, and resolves with its folder. Output goes to a temporary
 * folder renamed into place when complete, so a build cut short never looks finished.
 */
export async function ensureUiBuild(options: { signal?: AbortSignal } = {}): Promise<string> {
  const dir = uiBuildDir();
  while (!isUiBuilt(dir)) {
    if (!(await takeLock())) {
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    try {
      if (isUiBuilt(dir)) break;
      // Builds of other versions of the app are of no more use.
      for (const old of readdirSync(CACHE_DIR)) if (old !== 'building.lock') await rm(join(CACHE_DIR, old), { recursive: true, force: true });
      const partial = `${dir}.partial`;
      await runVite(partial, options.signal);
      await writeFile(join(partial, 'BUILT_FROM'), `@temporalio/ui ${UI_VERSION}\n`);
      await rename(partial, dir);
    } finally {
      await rm(`${dir}.partial.work`, { recursive: true, force: true });
      await rm(LOCK, { force: true });
    }
  }
  return dir;
}

/** Size of a built folder, for the build's one line of output. */
function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

// Run as a script: no top-level await, so that a test runner that requires this module as CommonJS can.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  void ensureUiBuild().then((dir) => {
    console.log(`Temporal UI ${UI_VERSION} in ${dir} (${(folderBytes(dir) / 1e6).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  });
}
