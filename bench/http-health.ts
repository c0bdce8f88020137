import { closedLoopLoad, type LoadFigures } from './load.ts';
import { isMain, printResult, type BenchResult } from './result.ts';
import { spawnServer } from './servers/spawn.ts';

/** GET /health under load (concurrency 20, 5 s) against a bare node:http server answering the same bytes. */
const LOAD = { path: '/health', connections: 20, durationMs: 5_000 };

async function measure(script: string): Promise<LoadFigures> {
  const server = await spawnServer(script);
  try {
    await closedLoopLoad({ ...LOAD, origin: server.origin, durationMs: 500 }); // warm-up
    return await closedLoopLoad({ ...LOAD, origin: server.origin });
  } finally {
    await server.stop();
  }
}

export default async function run(): Promise<BenchResult> {
  const baseline = await measure('./bare-health.ts');
  const figures = await measure('./api-health.ts');
  const ratio = figures.requestsPerSecond / baseline.requestsPerSecond;
  const result: BenchResult = {
    name: 'http-health',
    figures: { ...figures, shareOfBaseline: Number(ratio.toFixed(3)) },
    baseline: { ...baseline },
    goal: { shareOfBaseline: '>= 0.333 of the bare server requests/s' },
    met: ratio >= 1 / 3 && figures.errors === 0,
  };
  return result;
}

if (isMain(import.meta.url)) printResult(await run());
