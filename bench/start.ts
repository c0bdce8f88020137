import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMain, printResult, type BenchResult } from './result.ts';
import { startProduct } from './support/npm-start.ts';

/**
 * `npm start` until its first screen: cold (a data folder never used: a new database cluster,
 * migrations, demo data) and warm (the same folder again), beside the start of a bare node
 * process that does nothing, measured in the same run. The web app and the workflow bundle are
 * built by `npm install`, as on a fresh clone.
 */
function bareNodeMs(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`node exited ${code}`))));
  });
}

async function startAndStop(dataDir: string): Promise<number> {
  const product = await startProduct(dataDir);
  const code = await product.interrupt();
  if (code !== 0) throw new Error(`npm start exited ${code} on Ctrl-C:\n${product.output()}`);
  return product.readyMs;
}

export default async function run(): Promise<BenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pulseboard-bench-start-'));
  try {
    const bare = Math.min(...[await bareNodeMs(), await bareNodeMs(), await bareNodeMs()]);
    const coldMs = await startAndStop(dataDir);
    const warmMs = await startAndStop(dataDir);
    return {
      name: 'start',
      figures: { coldMs: Math.round(coldMs), warmMs: Math.round(warmMs), coldVsBareNode: Math.round(coldMs / bare), warmVsBareNode: Math.round(warmMs / bare) },
      baseline: { bareNodeMs: Math.round(bare) },
      goal: { coldMs: '< 10000', warmMs: '< 5000' },
      met: coldMs < 10_000 && warmMs < 5_000,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) printResult(await run());
