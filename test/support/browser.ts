import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { testContext } from './app.ts';

const WEB_ROOT = fileURLToPath(new URL('../../web-vue/', import.meta.url));
const WEB_DIST = join(WEB_ROOT, 'dist');
const BUILD_CACHE = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
const WEB_INDEX = join(WEB_DIST, 'index.html');

/** Debian's Chromium (CI installs it); flags keep it off the network and quiet in a container. */
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}

let building: Promise<void> | undefined;

/**
 * Builds web-vue/dist with Vite when it is missing or older than any source file, once per
 * test run. The new build is written to node_modules/.cache (ignored, same disk) and swapped
 * in, so an API serving the old one never sees a half-emptied folder.
 */
export function ensureWebAppBuilt(): Promise<void> {
  building ??= buildIfStale();
  return building;
}

async function buildIfStale(): Promise<void> {
  const built = await stat(WEB_INDEX).then((s) => s.mtimeMs, () => 0);
  if (built > (await newestMtime(WEB_ROOT))) return;
  // A dynamic import keeps Vite on its ESM entry: mocha loads this file as CommonJS, and a
  // required Vite pairs with a second copy of rolldown whose built-in plugins it cannot see.
  const { build } = await import('vite');
  const fresh = join(BUILD_CACHE, `web-vue-${process.pid}`);
  const old = join(BUILD_CACHE, `web-vue-old-${process.pid}`);
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
  await rename(WEB_DIST, old).catch(() => undefined);
  await rename(fresh, WEB_DIST);
  await rm(old, { recursive: true, force: true });
}

/** The real API (serving the built app) on 127.0.0.1, a free port, on the test database. */
export function startTestApi(): Promise<RunningApi> {
  return startApi(testContext(), 0, '127.0.0.1');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

export const TEST_PASSWORD = 'correct horse battery';

/** Creates an account through the sign-up form (from wherever the page is) and waits for home. */
export async function signUpThroughUi(page: Page, name: string, email: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/sign-up')) await page.goto('/sign-up');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
}

export async function signOutThroughUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in');
}

export interface BrowserHarness {
  /** The API, serving the built app, on 127.0.0.1. */
  readonly baseUrl: string;
  /** This test's page, in a fresh browser context (no cookies, no storage). */
  readonly page: Page;
}

/**
 * Mocha hooks for a browser suite: build the app, start the real API on the test
 * database, launch Chromium once; a fresh context per test. When a test fails its last
 * screen is saved under the temp folder and the path printed.
 */
export function useBrowser(options: { viewport?: { width: number; height: number } } = {}): BrowserHarness {
  let api: RunningApi | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;

  before(async function () {
    this.timeout(120_000);
    await ensureWebAppBuilt();
    api = await startTestApi();
    browser = await launchChromium();
  });

  beforeEach(async () => {
    context = await browser!.newContext({ baseURL: api!.url, viewport: options.viewport ?? { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const path = join(tmpdir(), `pulseboard-${this.currentTest.title.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.log(`    screenshot of the failure: ${path} (at ${page.url()})`);
    }
    await context?.close();
  });

  after(async () => {
    await browser?.close();
    await api?.close();
  });

  return {
    get baseUrl() {
      return api!.url;
    },
    get page() {
      return page!;
    },
  };
}
