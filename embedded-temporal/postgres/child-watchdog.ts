import { spawn } from 'node:child_process';

/**
 * Stops the child `pid` with `signal` once this process is gone, however it went: a kill -9
 * leaves no chance to stop children, and a server in a process group of its own (or PostgreSQL,
 * which never looks at its parent) would run on, holding its port and data. A tiny shell polls
 * both once a second; it is detached, so a Ctrl-C to the whole group does not end it before it
 * has done its job, and it exits by itself once the child has gone.
 */
export function stopWithThisProcess(pid: number, signal: 'TERM' | 'INT'): void {
  const watchdog = spawn(
    'sh',
    ['-c', `while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -0 "$1" 2>/dev/null || kill -${signal} "$2" 2>/dev/null`, 'watchdog', String(process.pid), String(pid)],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
}
