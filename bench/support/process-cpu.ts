import { readdirSync, readFileSync } from 'node:fs';

/** Linux counts CPU time in clock ticks of 10 ms (USER_HZ is 100 on every mainstream kernel). */
const MS_PER_TICK = 10;

interface ProcStat {
  ppid: number;
  cpuMs: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** CPU time (user + system, ms) used so far by one process, all its threads. */
export function processCpuMs(pid: number): number {
  return procStat(pid)?.cpuMs ?? 0;
}

/** The live processes under `root` (itself included), with their CPU so far. */
function tree(root: number): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const stat = Number.isInteger(pid) ? procStat(pid) : undefined;
    if (stat) stats.set(pid, stat);
  }
  const within = new Map<number, ProcStat>();
  for (const [pid, stat] of stats) {
    for (let p: number | undefined = pid; p; p = stats.get(p)?.ppid) {
      if (p === root) {
        within.set(pid, stat);
        break;
      }
    }
  }
  return within;
}

/** CPU time (user + system, ms) used so far by a process and all its live descendants. */
export function treeCpuMs(root: number): number {
  let total = 0;
  for (const stat of tree(root).values()) total += stat.cpuMs;
  return total;
}

/**
 * The same CPU split by part of the backend: `partOf` names each process from its command line
 * (the root is always 'root'), so a bench can say which process a unit of work costs most in.
 */
export function treeCpuMsByPart(root: number, partOf: (commandLine: string) => string): Map<string, number> {
  return sumByPart(root, partOf, (_pid, stat) => stat.cpuMs);
}

/** Any per-process figure of the live tree under `root`, summed by part (named as in treeCpuMsByPart). */
export function sumByPart(root: number, partOf: (commandLine: string) => string, figure: (pid: number, stat: ProcStat) => number): Map<string, number> {
  const parts = new Map<string, number>();
  for (const [pid, stat] of tree(root)) {
    const part = pid === root ? 'root' : partOf(commandLine(pid));
    parts.set(part, (parts.get(part) ?? 0) + figure(pid, stat));
  }
  return parts;
}

/** The live processes under `root` (itself included), each with its command line and CPU so far. */
export function processesUnder(root: number): Array<{ pid: number; commandLine: string; cpuMs: number }> {
  return [...tree(root)].map(([pid, stat]) => ({ pid, commandLine: commandLine(pid), cpuMs: stat.cpuMs }));
}

/** Resident memory of a process, MB (0 once it is gone). */
export function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Resolves once a process tree has gone quiet (under a tenth of a core for a quarter second), or
 * after 10 s: what a phase left the worker and server to finish is done before the next begins.
 */
export async function untilIdle(root: number): Promise<void> {
  for (let last = treeCpuMs(root), tries = 0; tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = treeCpuMs(root);
    if (now - last < 25) return;
    last = now;
  }
}
