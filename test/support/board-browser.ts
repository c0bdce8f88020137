import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/server.ts';
import { ensureWebAppBuilt, launchChromium, openSignedIn } from './browser.ts';
import { testContext } from './app.ts';
import { freshIp, PASSWORD } from '../api/platform/helpers.ts';
import type { UserRow } from '../../db/repositories/users.ts';

export interface BoardBrowsers {
  /** A person signed in, in a browser of their own, on `path`. */
  signedInPage(user: UserRow, path: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** A project of `owner`'s with the given cards (title, optional due time) in its first column; answers its board's path. */
  projectWithCards(owner: UserRow, cards: Array<string | { title: string; dueAt?: string }>, name?: string): Promise<string>;
}

/**
 * Mocha hooks for board suites with several people: the built app and the real API on 127.0.0.1,
 * one Chromium, a browser context per person, closed after each test.
 */
export function useBoardBrowsers(): BoardBrowsers {
  let api: RunningApi;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async function () {
    this.timeout(120_000);
    await ensureWebAppBuilt();
    api = await startApi(testContext(), 0, '127.0.0.1');
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  return {
    async signedInPage(user, path, viewport = { width: 1400, height: 900 }) {
      const { context, page } = await openSignedIn(browser, api.url, user.email, path, viewport);
      contexts.push(context);
      return page;
    },
    async projectWithCards(owner, cards, name = 'Garden makeover') {
      const agent = request.agent(api.url);
      const signIn = await agent.post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: owner.email, password: PASSWORD }).expect(200);
      const csrf = /pb_csrf=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1];
      const project = (await agent.post('/api/v1/projects').set('X-CSRF-Token', csrf).send({ name }).expect(201)).body;
      const board = (await agent.get(`/api/v1/boards/${project.boardIds[0]}`).expect(200)).body;
      for (const card of cards) {
        await agent.post(`/api/v1/boards/${board.id}/tasks`).set('X-CSRF-Token', csrf).send({ columnId: board.columns[0].id, ...(typeof card === 'string' ? { title: card } : card) }).expect(201);
      }
      return `/projects/${project.id}/board`;
    },
  };
}

export const boardColumn = (page: Page, name: string) => page.getByRole('region', { name });
export const boardCard = (page: Page, title: string) => page.getByTestId('task-card').filter({ hasText: title });
