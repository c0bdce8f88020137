/**
 * Runs `tasks` with at most `parallel` under way at once: the pages that add up per-job or per-day
 * figures ask the API many small questions and must not flood it.
 */
export async function runLimited(tasks: Array<() => Promise<void>>, parallel = 4): Promise<void> {
  const queue = [...tasks];
  const workers = Array.from({ length: Math.min(parallel, queue.length) }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  });
  await Promise.all(workers);
}
