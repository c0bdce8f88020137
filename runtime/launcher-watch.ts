import { readFileSync } from 'node:fs';

/** How often the launchers are looked at: "within a few seconds" of their end. */
const EVERY_MS = 1_000;

/**
 * Calls `onGone` once, when a process that launched this one has gone: its parent, and the
 * parent's parents within this process group. `npm start` runs us under npm, a shell and tsx, all
 * in the job the user started; a kill -9 of npm ends npm alone, and the product would otherwise
 * run on, holding its ports, with nobody to stop it. Where /proc is missing, the parent only.
 * Answers a function that stops watching.
 */
export function whenLauncherGoes(onGone: () => void): () => void {
  const launchers = launcherChain();
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent && launchers.every(isRunning)) return;
    clearInterval(timer);
    onGone();
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

interface ProcessStat {
  state: string;
  ppid: number;
  pgrp: number;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statOf(pid: number): ProcessStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid, pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid), pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}

function launcherChain(): number[] {
  const own = statOf(process.pid);
  if (!own) return [];
  const chain = [own.ppid];
  for (let pid = own.ppid; ; ) {
    const next = statOf(pid)?.ppid;
    if (!next || next <= 1 || statOf(next)?.pgrp !== own.pgrp) return chain;
    chain.push(next);
    pid = next;
  }
}

/** Gone, or a zombie its own parent has not reaped yet. */
function isRunning(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== null && stat.state !== 'Z';
}
