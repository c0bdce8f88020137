import { whenLauncherGoes } from './launcher-watch.ts';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

const closers: Closer[] = [];
let shuttingDown: Promise<void> | undefined;

/** Registers a part to stop on shutdown; parts stop in the reverse order of their start. */
export function onShutdown(name: string, close: Closer['close']): void {
  closers.push({ name, close });
}

/** True once a stop began: a start still under way gives up quietly instead of failing loudly. */
export function isShuttingDown(): boolean {
  return shuttingDown !== undefined;
}

export function shutdown(log: (line: string) => void = () => {}): Promise<void> {
  shuttingDown ??= (async () => {
    for (const closer of closers.reverse()) {
      try {
        await closer.close();
        log(`stopped ${closer.name}`);
      } catch (error) {
        log(`could not stop ${closer.name}: ${(error as Error).message}`);
      }
    }
  })();
  return shuttingDown;
}

/** Ctrl-C and SIGTERM stop every registered part, then the process; a second Ctrl-C forces it. */
export function exitOnSignals(log: (line: string) => void): void {
  let signals = 0;
  const handler = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    log(`${signal}: stopping`);
    void shutdown(log).then(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** When the process that launched this one is killed (see whenLauncherGoes), every part stops as on Ctrl-C. */
export function exitWithLauncher(log: (line: string) => void): void {
  whenLauncherGoes(() => {
    log('the launcher is gone: stopping');
    void shutdown(log).then(() => process.exit(0));
  });
}
