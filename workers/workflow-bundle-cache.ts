import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from '@temporalio/worker';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'pulseboard-workflows');
/** What the bundle is made of: the workflow code, the pure domain it imports, the interceptor, how it is bundled, and the installed packages. */
const SOURCES = ['workflows', 'domain', 'workers/workflow-outcomes.ts', 'workers/worker.ts', 'package-lock.json'];

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => null);
  if (!entries) return [path];
  const nested = await Promise.all(entries.map((entry) => filesUnder(join(path, entry.name))));
  return nested.flat().sort();
}

async function sourcesDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of (await Promise.all(SOURCES.map((source) => filesUnder(join(ROOT, source))))).flat()) {
    hash.update(file.slice(ROOT.length)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * A workflow bundle built once per change of its sources and kept under node_modules/.cache: webpack takes seconds a start, and `npm install`
 * builds it ahead (scripts/prebuild.ts), so a fresh clone's first start skips it too.
 */
export async function cachedWorkflowBundle(build: () => Promise<WorkflowBundle>): Promise<WorkflowBundle> {
  const file = join(CACHE_DIR, `${await sourcesDigest()}.js`);
  const cached = await readFile(file, 'utf8').catch(() => null);
  if (cached) return { code: cached };
  const bundle = await build();
  await rm(CACHE_DIR, { recursive: true, force: true });
  await mkdir(CACHE_DIR, { recursive: true });
  // Written beside and renamed: a second process starting at once never reads half a file.
  await writeFile(`${file}.${process.pid}`, bundle.code);
  await rename(`${file}.${process.pid}`, file);
  return bundle;
}
