const cleanups: Array<() => Promise<void>> = [];

/** Things a test file started for the whole run (servers, workers), stopped once after the last test. */
export function registerRunCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}
