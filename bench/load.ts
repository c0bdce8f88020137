import { Pool } from 'undici';
import { performance } from 'node:perf_hooks';
import { percentile } from './result.ts';

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Closed-loop load: `connections` workers each send the next request as soon as the last answered. */
export async function closedLoopLoad(options: { origin: string; path: string; connections: number; durationMs: number }): Promise<LoadFigures> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const stopAt = performance.now() + options.durationMs;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const sent = performance.now();
      try {
        const { statusCode, body } = await pool.request({ path: options.path, method: 'GET' });
        await body.dump();
        if (statusCode !== 200) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - sent);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsed = (performance.now() - began) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { requestsPerSecond: Math.round(latencies.length / elapsed), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), errors };
}
