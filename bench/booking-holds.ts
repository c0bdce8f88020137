import { performance } from 'node:perf_hooks';
import { insertHold } from '../db/repositories/bookings.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { backendCpuOf, startBackend } from './support/backend.ts';
import { apiCall, openProvider, QUARTER_MS, slotAfterAnHour } from './support/marketplace.ts';

/**
 * Holds through the API (the exclusion constraint decides races, then the booking actor starts),
 * beside the same inserts done directly in SQL against the same constraint, in the same run. With
 * the latencies, the CPU each hold costs the whole backend (cpuMsPerHold): at a fixed concurrency
 * the latency follows the throughput, which on a shared machine this figure explains.
 */
const RACERS = 50;
const DISTINCT = 1_000;
const CONCURRENCY = 20;
const CUSTOMERS = 50; // 20 holds each stays under the per-person hold limit (30 a minute)

/** Runs `count` tasks, `concurrency` at a time; answers each one's latency in ms. */
async function timed(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const sent = performance.now();
        await task(i);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  return { latencies: latencies.sort((a, b) => a - b), perSecond: Math.round(count / seconds) };
}

const round = (n: number) => Number(n.toFixed(2));

/**
 * CPU (ms) that `work` costs the whole backend, in all and by part. The machine is shared, so
 * this is the steadier figure.
 */
async function cpuOf<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number; byPart: Map<string, number> }> {
  const { result, byPart } = await backendCpuOf(work);
  return { result, cpuMs: [...byPart.values()].reduce((a, b) => a + b, 0), byPart };
}

/** cpuMsPerHold's parts, as figures. */
function perHold(byPart: Map<string, number>): Record<string, number> {
  const part = (name: string) => round((byPart.get(name) ?? 0) / DISTINCT);
  return { apiCpuMsPerHold: part('root'), workerCpuMsPerHold: part('worker'), temporalCpuMsPerHold: part('temporal'), postgresCpuMsPerHold: part('postgres') };
}

export default async function run(): Promise<BenchResult> {
  const backend = await startBackend();
  try {
    const { providerId, serviceId } = await openProvider(backend);
    const customers = await Promise.all(Array.from({ length: CUSTOMERS }, () => backend.person('customer')));
    const slot = slotAfterAnHour;

    // The race, through the API: every customer at once on one slot.
    const raceSlot = slot(3 * DISTINCT).toISOString();
    const raceStatuses: number[] = [];
    const race = await timed(RACERS, RACERS, async (i) => {
      raceStatuses.push((await apiCall(backend, customers[i].token, 'POST', '/api/v1/bookings/hold', { serviceId, startsAt: raceSlot })).status);
    });
    const raceWinners = raceStatuses.filter((s) => s === 201).length;

    let failed = 0;
    const { result: holds, cpuMs: holdsCpuMs, byPart } = await cpuOf(() =>
      timed(DISTINCT, CONCURRENCY, async (i) => {
        const res = await apiCall(backend, customers[i % CUSTOMERS].token, 'POST', '/api/v1/bookings/hold', { serviceId, startsAt: slot(i).toISOString() });
        if (res.status !== 201) failed += 1;
      }),
    );

    // Baseline: the same rows straight into the same table and constraint.
    const insert = (startsAt: Date, customerId: number) =>
      insertHold(backend.db, { serviceId, providerId, customerId, startsAt, endsAt: new Date(startsAt.getTime() + QUARTER_MS), bufferBeforeMinutes: 0, bufferAfterMinutes: 0, holdExpiresAt: new Date(Date.now() + 600_000), priceMinor: 1000, currency: 'EUR' });
    const baselineRaceSlot = slot(3 * DISTINCT + 1);
    let baselineWinners = 0;
    const baselineRace = await timed(RACERS, RACERS, async (i) => {
      if (await insert(baselineRaceSlot, customers[i].id)) baselineWinners += 1;
    });
    const { result: baselineHolds, cpuMs: baselineCpuMs, byPart: baselineByPart } = await cpuOf(() =>
      timed(DISTINCT, CONCURRENCY, async (i) => {
        await insert(slot(DISTINCT + i), customers[i % CUSTOMERS].id);
      }),
    );

    const result: BenchResult = {
      name: 'booking-holds',
      figures: {
        raceWinners,
        raceP99Ms: round(percentile(race.latencies, 99)),
        holdsPerSecond: holds.perSecond,
        holdP50Ms: round(percentile(holds.latencies, 50)),
        holdP99Ms: round(percentile(holds.latencies, 99)),
        failedHolds: failed,
        cpuMsPerHold: round(holdsCpuMs / DISTINCT),
        ...perHold(byPart),
      },
      baseline: {
        raceWinners: baselineWinners,
        raceP99Ms: round(percentile(baselineRace.latencies, 99)),
        holdsPerSecond: baselineHolds.perSecond,
        holdP50Ms: round(percentile(baselineHolds.latencies, 50)),
        holdP99Ms: round(percentile(baselineHolds.latencies, 99)),
        cpuMsPerHold: round(baselineCpuMs / DISTINCT),
        ...perHold(baselineByPart),
      },
      goal: { raceWinners: 'exactly 1 of 50', cpuMsPerHold: '<= 8 (API, worker, Temporal and PostgreSQL together)', holdP99Ms: `< 150 at concurrency ${CONCURRENCY}`, failedHolds: '0' },
      met: raceWinners === 1 && failed === 0 && holdsCpuMs / DISTINCT <= 8 && percentile(holds.latencies, 99) < 150,
    };
    return result;
  } finally {
    await backend.stop();
  }
}

if (isMain(import.meta.url)) printResult(await run());
