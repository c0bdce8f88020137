import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { testContext, testDb } from './app.ts';
import { ensureWebBuild } from '../../scripts/web-build.ts';
import { PASSWORD } from '../api/platform/helpers.ts';

/** Debian's Chromium (CI installs it); flags keep it off the network and quiet in a container. */
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

let building: Promise<boolean> | undefined;

/** Builds web-vue/dist when stale, once per test run. */
export function ensureWebAppBuilt(): Promise<boolean> {
  building ??= ensureWebBuild();
  return building;
}

/** The real API (serving the built app) on 127.0.0.1, a free port, on the test database. */
export function startTestApi(): Promise<RunningApi> {
  return startApi(testContext(), 0, '127.0.0.1');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * A fresh context (no cookies) signed in through the sign-in form, landing on `path`. The
 * password is the test helpers' (`createUser` in test/api/platform/helpers.ts).
 */
export async function openSignedIn(
  browser: Browser,
  baseURL: string,
  email: string,
  path: string,
  viewport = { width: 1280, height: 900 },
  options: { timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${path}`);
  return { context, page };
}

export const TEST_PASSWORD = 'correct horse battery';

/**
 * Creates an account through the sign-up form (from wherever the page is): the form says to check
 * the mail, and the link in it (as the dev outbox kept it) makes the account and goes on.
 */
export async function signUpThroughUi(page: Page, name: string, email: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/sign-up')) await page.goto('/sign-up');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('check-email').waitFor();
  await page.goto(await confirmationPath(email));
  await page.waitForURL((url) => !url.pathname.startsWith('/confirm-sign-up'));
}

/** The path of the sign-up confirmation link last mailed to `email`, from the dev outbox. */
export async function confirmationPath(email: string): Promise<string> {
  const mail = await testDb()('dev_outbox').where({ to_address: email }).orderBy('id', 'desc').first();
  const match = /\/confirm-sign-up\/[^\s]+/.exec(String(mail?.text_body));
  if (!match) throw new Error(`no sign-up confirmation link in the mail to ${email}`);
  return match[0];
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

/**
 * Signed-in pages for a suite's tests: `open` signs in through the form (openSignedIn) and lands on
 * `path`; `closeAll` (in afterEach) closes every context opened since.
 */
export function signedInPages(browser: () => Browser, baseURL: () => string) {
  const contexts: BrowserContext[] = [];
  return {
    async open(email: string, path: string): Promise<Page> {
      const { context, page } = await openSignedIn(browser(), baseURL(), email, path);
      contexts.push(context);
      return page;
    },
    async closeAll(): Promise<void> {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    },
  };
}
