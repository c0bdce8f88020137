import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openSignedIn, useBrowser } from '../support/browser.ts';
import { createUser } from '../api/platform/helpers.ts';
import { testDb } from '../support/app.ts';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';
import { insertProjectWithBoard } from '../../db/repositories/boards.ts';

/** Every page of the app, by route name, with the path to open and who opens it (see web-vue/src/router.ts). */
type Visitor = 'guest' | 'provider' | 'admin';
const PAGES: Record<string, { path: string; as: Visitor }> = {
  'sign-in': { path: '/sign-in', as: 'guest' },
  'sign-up': { path: '/sign-up', as: 'guest' },
  'confirm-sign-up': { path: '/confirm-sign-up/not-a-real-token', as: 'guest' },
  invitation: { path: '/invitations/not-a-real-token', as: 'guest' },
  respond: { path: '/respond/not-a-real-token', as: 'guest' },
  'dev-outbox': { path: '/dev/outbox', as: 'guest' },
  'not-found': { path: '/no/such/page', as: 'guest' },
  home: { path: '/', as: 'provider' },
  'new-org': { path: '/orgs/new', as: 'provider' },
  team: { path: '/team', as: 'provider' },
  'api-keys': { path: '/api-keys', as: 'provider' },
  jobs: { path: '/jobs', as: 'provider' },
  'jobs-dashboard': { path: '/jobs/dashboard', as: 'provider' },
  'jobs-settings': { path: '/jobs/settings', as: 'provider' },
  'jobs-failed': { path: '/jobs/failed', as: 'provider' },
  'jobs-billing': { path: '/jobs/billing', as: 'provider' },
  'job-new': { path: '/jobs/new', as: 'provider' },
  job: { path: '/jobs/1', as: 'provider' },
  'job-edit': { path: '/jobs/1/edit', as: 'provider' },
  stores: { path: '/stores', as: 'provider' },
  'stores-overview': { path: '/stores/overview', as: 'provider' },
  'store-alert-settings': { path: '/stores/alert-settings', as: 'provider' },
  store: { path: '/stores/1', as: 'provider' },
  board: { path: '/board', as: 'provider' },
  'project-board': { path: '/projects/:projectId/board', as: 'provider' },
  'board-by-id': { path: '/boards/:boardId', as: 'provider' },
  'provider-profile': { path: '/provider', as: 'provider' },
  'provider-services': { path: '/provider/services', as: 'provider' },
  'provider-hours': { path: '/provider/hours', as: 'provider' },
  'provider-calendars': { path: '/provider/calendars', as: 'provider' },
  services: { path: '/services', as: 'provider' },
  provider: { path: '/providers/:providerId', as: 'provider' },
  'my-bookings': { path: '/bookings', as: 'provider' },
  booking: { path: '/bookings/1', as: 'provider' },
  requests: { path: '/requests', as: 'provider' },
  'admin-users': { path: '/admin/users', as: 'admin' },
  'admin-audit': { path: '/admin/audit', as: 'admin' },
  'admin-categories': { path: '/admin/categories', as: 'admin' },
  'admin-workflows': { path: '/admin/workflows', as: 'admin' },
  'admin-workflow': { path: '/admin/workflows/cron-job-1', as: 'admin' },
};

/** Pages the API renders itself, outside the Vue app. */
const SERVER_PAGES = ['/api/docs'];

/** Collects what the browser reports against the page's Content-Security-Policy (and any header it cannot read), from before any script of the app runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Permissions-Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`));
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)), ...console];
}

describe('web app under its Content-Security-Policy', () => {
  const browser = useBrowser();

  it('walks every page of the app and the API docs, as guest, provider and admin, without one violation', async function () {
    this.timeout(240_000);
    const routeNames = [...readFileSync(new URL('../../web-vue/src/router.ts', import.meta.url), 'utf8').matchAll(/name: '([\w-]+)',\s+component/g)].map((m) => m[1]);
    expect(Object.keys(PAGES), 'every named route of the router is walked').to.have.members(routeNames);

    // The provider owns an organization and a project, so their pages show rows, not only empty states.
    const provider = await createUser('provider', 'csp-provider');
    const admin = await createUser('admin', 'csp-admin');
    await insertOrganizationWithOwner(testDb(), 'CSP Walkers', provider.id);
    const { projectId, boardId } = await testDb().transaction((trx) => insertProjectWithBoard(trx, provider.id, 'CSP walk'));
    const pathOf = (path: string) => path.replace(':projectId', String(projectId)).replace(':boardId', String(boardId)).replace(':providerId', String(provider.id));

    const chromium = browser.page.context().browser()!;
    const violationsByPage: Record<string, string[]> = {};
    for (const [visitor, person] of [['guest', null], ['provider', provider], ['admin', admin]] as const) {
      const pages = Object.entries(PAGES).filter(([, page]) => page.as === visitor);
      if (visitor === 'guest') pages.push(...SERVER_PAGES.map((path) => [path, { path, as: visitor }] as (typeof pages)[number]));
      const { context, page } = person
        ? await openSignedIn(chromium, browser.baseUrl, person.email, pathOf(pages[0][1].path))
        : await chromium.newContext({ baseURL: browser.baseUrl }).then(async (context) => ({ context, page: await context.newPage() }));
      const violations = await watchViolations(page);
      for (const [name, target] of pages) {
        await page.goto(pathOf(target.path));
        await page.waitForLoadState('networkidle').catch(() => undefined);
        violationsByPage[name] = await violations();
      }
      await context.close();
    }
    expect(Object.fromEntries(Object.entries(violationsByPage).filter(([, list]) => list.length > 0))).to.deep.equal({});
  });

  it('answers pages and the API with the policy and the other security headers', async () => {
    for (const path of ['/', '/api/v1/auth/me', '/api/docs']) {
      const res = await fetch(browser.baseUrl + path);
      expect(res.headers.get('content-security-policy'), path).to.contain("script-src 'self'").and.contain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
      expect(res.headers.get('referrer-policy'), path).to.equal('same-origin');
      expect(res.headers.get('permissions-policy'), path).to.contain('camera=()');
      expect(res.headers.get('strict-transport-security'), `${path}: no HSTS outside production`).to.equal(null);
    }
  });
});
