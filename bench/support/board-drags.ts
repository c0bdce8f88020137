import { chromium, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/web-build.ts';
import { percentile } from '../result.ts';

/**
 * The time a person waits after dropping a card: from the mouse button's release to the frame in
 * which the card stands in its new column with the server's answer applied (the optimistic move
 * is drawn first; "settled" is when the answer is in and drawn). Measured in the page's own clock.
 * Drags alternate the top card of the first column onto the top of the second and back.
 */
export async function measureDrags(url: string, email: string, password: string, boardId: number, drags: number): Promise<{ p50: number; p99: number }> {
  await ensureWebBuild();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ baseURL: url, viewport: { width: 1600, height: 1000 } });
    // Marks the drop and the reorder answer, before the app's own code runs.
    // (Scripts as text: the bundler's name helpers do not exist in the page.)
    await context.addInitScript(`
      // The drop: the button's release, or (Chromium dragging natively) the drop event after it.
      for (const type of ['mouseup', 'drop']) document.addEventListener(type, () => { window.dropAt = performance.now(); }, true);
      const fetch0 = window.fetch.bind(window);
      window.fetch = async (...args) => {
        const response = await fetch0(...args);
        if (String(args[0]).endsWith('/tasks/reorder')) window.answeredAt = performance.now();
        return response;
      };
    `);
    const page = await context.newPage();
    await page.goto(`/sign-in?next=${encodeURIComponent(`/boards/${boardId}`)}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('task-card').first().waitFor();
    const columns = page.getByTestId('board-column');
    const samples: number[] = [];
    for (let i = 0; i < drags; i += 1) {
      const [from, to] = i % 2 === 0 ? [0, 1] : [1, 0];
      samples.push(await dragOnce(page, columns.nth(from), columns.nth(to)));
    }
    const sorted = samples.sort((a, b) => a - b);
    return { p50: Number(percentile(sorted, 50).toFixed(2)), p99: Number(percentile(sorted, 99).toFixed(2)) };
  } finally {
    await browser.close();
  }
}

async function dragOnce(page: Page, from: ReturnType<Page['getByTestId']>, to: ReturnType<Page['getByTestId']>): Promise<number> {
  const card = from.getByTestId('task-card').first();
  const taskId = await card.getAttribute('data-task-id');
  const columnId = await to.getAttribute('data-column-id');
  await page.evaluate('window.answeredAt = 0; window.dropAt = 0');
  const source = (await card.boundingBox())!;
  // Onto the top card there, or into the empty list (a locator with no match would wait, not answer null).
  const onto = (await to.getByTestId('task-card').count()) > 0 ? to.getByTestId('task-card').first() : to.getByTestId('column-cards');
  const target = (await onto.boundingBox())!;
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + 5, { steps: 8 });
  await page.mouse.up();
  // Waits in the page, frame by frame, for the answer and the card in its new column.
  return page.evaluate(`new Promise((resolve, reject) => {
    const until = performance.now() + 10000;
    const check = () => {
      const placed = document.querySelector('[data-column-id="${Number(columnId)}"] [data-task-id="${Number(taskId)}"]');
      if (window.answeredAt > 0 && placed) resolve(performance.now() - window.dropAt);
      else if (performance.now() > until) reject(new Error('card ${Number(taskId)} did not settle'));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })`) as Promise<number>;
}
