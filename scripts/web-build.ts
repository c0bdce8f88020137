import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_ROOT = fileURLToPath(new URL('../web-vue/', import.meta.url));
const WEB_DIST = join(WEB_ROOT, 'dist');
const BUILD_CACHE = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}

/**
 * Builds web-vue/dist with Vite when it is missing or older than any of its sources; answers
 * whether it built. The new build is written beside it and swapped in, so an API serving the
 * old one never sees a half-emptied folder.
 */
export async function ensureWebBuild(): Promise<boolean> {
  const built = await stat(join(WEB_DIST, 'index.html')).then((s) => s.mtimeMs, () => 0);
  if (built > (await newestSource(WEB_ROOT))) return false;
  // A dynamic import keeps Vite on its ESM entry: mocha loads files as CommonJS, and a required
  // Vite pairs with a second copy of rolldown whose built-in plugins it cannot see.
  const { build } = await import('vite');
  const fresh = join(BUILD_CACHE, `web-vue-${process.pid}`);
  const old = join(BUILD_CACHE, `web-vue-old-${process.pid}`);
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: fresh, emptyOutDir: true } });
  await rename(WEB_DIST, old).catch(() => undefined);
  await rename(fresh, WEB_DIST);
  await rm(old, { recursive: true, force: true });
  return true;
}
