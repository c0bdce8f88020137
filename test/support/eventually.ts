/**
 * Waiting in tests for what happens after an answer: a workflow task, a background job, a socket
 * message. Both poll; neither sleeps a fixed time, so a fast machine does not wait for a slow one.
 */

const EVERY_MS = 100;
const pause = () => new Promise((resolve) => setTimeout(resolve, EVERY_MS));

interface Patience {
  timeoutMs?: number;
}

type Truthy<T> = Exclude<T, undefined | null | false | 0 | ''>;

/** Polls `check` until it answers something truthy, and answers that; fails naming `what` once the time is up. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, { timeoutMs = 15_000 }: Patience = {}): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause();
  }
}

/** Runs `assertion` until it stops throwing, and answers what it returned; once the time is up its last failure is the test's. */
export async function eventuallyPasses<T>(assertion: () => Promise<T>, { timeoutMs = 15_000 }: Patience = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await pause();
    }
  }
}
