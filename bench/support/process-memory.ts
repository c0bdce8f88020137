import { readFileSync } from 'node:fs';
import { sumByPart } from './process-cpu.ts';

/**
 * Memory of each part of a process tree, in MB. 'rss': resident set size, what a goal on one
 * process reads. 'pss': proportional set size, so that what processes share (PostgreSQL's shared
 * buffers, mapped by each of its backends) counts once; RSS where it cannot be read.
 */
export function treeMemoryMbByPart(root: number, partOf: (commandLine: string) => string, kind: 'rss' | 'pss'): Map<string, number> {
  return sumByPart(root, partOf, (pid) => (kind === 'pss' ? kbField(pid, 'smaps_rollup', 'Pss') || kbField(pid, 'status', 'VmRSS') : kbField(pid, 'status', 'VmRSS')) / 1024);
}

function kbField(pid: number, file: string, field: string): number {
  try {
    return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // gone meanwhile, or not ours to read
  }
}
