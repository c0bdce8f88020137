import { performance } from 'node:perf_hooks';

/**
 * Runs `one` for 0..count-1, `concurrency` at a time, printing progress every 5 s and the time it
 * took; answers the rate per second. How a bench builds its actors: long, so it shows progress.
 */
export async function inTurn(label: string, count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  const began = performance.now();
  const rate = () => Math.round(done / ((performance.now() - began) / 1000));
  const progress = setInterval(() => console.log(`  ${label}: ${done} of ${count} (${rate()}/s)`), 5_000);
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          await one(next++);
          done += 1;
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  console.log(`  ${label}: ${count} in ${((performance.now() - began) / 1000).toFixed(1)} s (${rate()}/s)`);
  return count / ((performance.now() - began) / 1000);
}
