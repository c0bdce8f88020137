import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../support/eventually.ts';
import { clusterFolder } from '../../../db/embedded-postgres.ts';

const LAUNCHER = fileURLToPath(new URL('../../support/embedded-launcher.ts', import.meta.url));

/** Every process on the machine with its parent, from /proc. */
async function processTable(): Promise<Map<number, { ppid: number; state: string }>> {
  const table = new Map<number, { ppid: number; state: string }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!text) continue;
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    table.set(Number(entry), { ppid: Number(ppid), state });
  }
  return table;
}

async function descendantsOf(root: number): Promise<number[]> {
  const table = await processTable();
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, { ppid }] of table) {
      if (ppid !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** Those of `pids` still running (a zombie waiting for its reaper has stopped). */
async function stillRunning(pids: number[]): Promise<number[]> {
  const table = await processTable();
  return pids.filter((pid) => table.has(pid) && table.get(pid)!.state !== 'Z');
}

/** Starts `command` and waits for the launcher in it to print "ready". */
async function launch(command: string, args: string[], dataDir: string, options: { detached: boolean }): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the launcher exited (${code}) before it was ready: ${output}`)));
  });
  return child;
}

/**
 * kill -9 gives a process no chance to stop its children. Whatever is killed, the launcher of
 * `npm start` or the one that launched it (npm, tsx), no PostgreSQL, Temporal server or other
 * child is left running a few seconds later.
 */
describe('no orphan outlives a killed launcher', function () {
  this.timeout(90_000);
  let dataDir: string;

  before(async () => {
    dataDir = await clusterFolder('pulseboard-orphans-');
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops PostgreSQL and the Temporal server when the process that started them (npm start\'s script) is killed', async () => {
    const launcher = await launch(process.execPath, ['--import', 'tsx', LAUNCHER], dataDir, { detached: false });
    const children = await descendantsOf(launcher.pid!);
    expect(children.length, 'PostgreSQL, the Temporal server and their watchdogs').to.be.at.least(4);

    launcher.kill('SIGKILL');
    await eventually(async () => (await stillRunning(children)).length === 0, 'every child of the killed launcher to stop', { timeoutMs: 15_000 });
  });

  it('stops them all when npm, which launched the launcher through a shell and tsx as for npm start, is killed', async () => {
    // A group of its own, as the job a shell starts for `npm start`.
    const npm = await launch('npm', ['exec', '--offline', '--', 'tsx', LAUNCHER], dataDir, { detached: true });
    const children = await descendantsOf(npm.pid!);
    expect(children.length, 'the shell, tsx, the launcher, PostgreSQL, the Temporal server and their watchdogs').to.be.at.least(7);

    npm.kill('SIGKILL');
    await eventually(async () => (await stillRunning(children)).length === 0, 'every process under the killed launcher to stop', { timeoutMs: 20_000 });
  });
});
