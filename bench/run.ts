import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printResult, type BenchResult } from './result.ts';

/** `npm run bench` runs every bench/*.ts with a default export; `npm run bench -- NAME` runs one. */
const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const RESULTS = BENCH_DIR + 'results.json';
const NOT_BENCHES = new Set(['run.ts', 'result.ts', 'load.ts']);

async function main(only: string[]): Promise<void> {
  const files = (await readdir(BENCH_DIR)).filter((f) => f.endsWith('.ts') && !NOT_BENCHES.has(f)).sort();
  const chosen = only.length ? files.filter((f) => only.includes(f.replace(/\.ts$/, ''))) : files;
  if (only.length && chosen.length !== only.length) throw new Error(`unknown benchmark; have: ${files.map((f) => f.replace(/\.ts$/, '')).join(', ')}`);
  const recorded = await previous();
  let allMet = true;
  for (const file of chosen) {
    const module = (await import(pathToFileURL(BENCH_DIR + file).href)) as { default: () => Promise<BenchResult> };
    const result = await module.default();
    printResult(result);
    recorded[result.name] = { ...result, at: new Date().toISOString() };
    allMet &&= result.met;
    await writeFile(RESULTS, JSON.stringify(recorded, null, 2) + '\n');
  }
  console.log(`\nresults in bench/results.json; ${allMet ? 'every goal met' : 'some goals not met'}`);
}

async function previous(): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(RESULTS, 'utf8'));
  } catch {
    return {};
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
