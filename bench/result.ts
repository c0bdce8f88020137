/** What every benchmark answers: its figures, the baseline measured in the same run, and its goals. */
export interface BenchResult {
  name: string;
  figures: Record<string, number>;
  baseline: Record<string, number>;
  goal: Record<string, string>;
  met: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function printResult(result: BenchResult): void {
  console.log(`\n${result.name}${result.met ? '  (goal met)' : '  (goal NOT met)'}`);
  const keys = [...new Set([...Object.keys(result.figures), ...Object.keys(result.baseline)])];
  for (const key of keys) {
    const figure = result.figures[key];
    const base = result.baseline[key];
    console.log(`  ${key.padEnd(22)} ${fmt(figure).padStart(12)}   baseline ${fmt(base).padStart(12)}`);
  }
  for (const [key, goal] of Object.entries(result.goal)) console.log(`  goal: ${key} ${goal}`);
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Runs a bench file on its own (`npx tsx bench/NAME.ts`) when it is the entry point. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'));
}
