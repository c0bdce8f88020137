import { readFileSync } from 'node:fs';

/** How often the launchers are looked at: "within a few seconds" of their end. */
const EVERY_MS = 1_000;

/**
 * Calls `onGone` once, when a process that launched this one has gone. `npm start` runs us under
 * npm, the shell npm runs the script in, and tsx; a kill -9 of npm ends npm alone, and the product
 * would otherwise run on, holding its ports, with nobody left to stop it. Only such launchers are
 * watched (node and npm processes, and a shell npm started, in this process group): a shell that
 * started us in the background and went its way is no reason to stop. Where /proc is missing, the
 * parent is watched. Answers a function that stops watching.
 */
export function whenLauncherGoes(onGone: () => void): () => void {
  const launchers = launcherChain();
  const parent = process.ppid;
  const gone = launchers ? () => !launchers.every(isRunning) : () => process.ppid !== parent;
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    onGone();
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

interface ProcessStat {
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
}

/** /proc/<pid>/stat: the command name in parentheses (it may hold spaces), then state, parent, group. */
function statOf(pid: number): ProcessStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const [state, ppid, pgrp] = text.slice(close + 2).split(' ');
    return { comm: text.slice(text.indexOf('(') + 1, close), state, ppid: Number(ppid), pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}

/** The launchers above this process, nearest first; null without /proc. */
function launcherChain(): number[] | null {
  const own = statOf(process.pid);
  if (!own) return null;
  const chain: number[] = [];
  for (let pid = own.ppid; pid > 1; ) {
    const stat = statOf(pid);
    if (!stat || stat.pgrp !== own.pgrp || !isLauncher(stat)) break;
    chain.push(pid);
    pid = stat.ppid;
  }
  return chain;
}

/** node (tsx), npm (which names itself "npm start", "npm exec …"), or the shell npm runs a script in. */
function isLauncher(stat: ProcessStat): boolean {
  if (stat.comm === 'node' || stat.comm.startsWith('npm')) return true;
  return stat.comm === 'sh' && (statOf(stat.ppid)?.comm.startsWith('npm') ?? false);
}

/** Not gone, nor a zombie its own parent has not reaped yet. */
function isRunning(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== null && stat.state !== 'Z';
}
