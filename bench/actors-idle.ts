/**
 * 100,000 booking actors in `requested`, each waiting on its provider's answer deadline, built
 * through the API (hold, then confirm) on the whole backend. Then: the memory of each process
 * and the database size per live actor; a restart of the Temporal server with all of them open
 * and how long until it serves again; and the lateness of DUE deadlines that all fall due in
 * the same minute (each auto-declines its booking). Baseline, in the same run: the memory with
 * no actor, and the same bookings as plain rows (insert a hold, set it requested) in SQL.
 *
 *   ACTORS=5000 npx tsx bench/actors-idle.ts          (DUE defaults to a tenth, at most 10,000)
 *
 * The due minute: a provider's answer time is whole minutes (at least 5), so each booking of the
 * due group goes to the provider whose answer time ends in that minute when it is confirmed.
 */
import { performance } from 'node:perf_hooks';
import { Connection } from '@temporalio/client';
import { insertHold } from '../db/repositories/bookings.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { backendCpuOf, backendPartOf, startBackend, type Backend } from './support/backend.ts';
import { apiCall, openProvider, QUARTER_MS } from './support/marketplace.ts';
import { treeMemoryMbByPart } from './support/process-memory.ts';
import { treeCpuMsByPart, untilIdle } from './support/process-cpu.ts';
import { inTurn } from './support/in-turn.ts';

const ACTORS = Number(process.env.ACTORS ?? 100_000);
const DUE = Number(process.env.DUE ?? Math.min(10_000, Math.round(ACTORS / 10)));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** The longest answer time a provider may set: the waiting actors' deadlines are a week away. */
const WEEK_MINUTES = 7 * 24 * 60;
const MIN_ANSWER_MINUTES = 5;
/** Bookings per provider (a provider has ~34,000 quarter-hour slots between 8 and 365 days ahead): each is a card on their board. */
const SLOTS_PER_PROVIDER = 10_000;
/** Under the 30 holds a minute a person may make, whatever the rate. */
const HOLDS_PER_CUSTOMER = 25;
const BASELINE_ROWS = Math.min(ACTORS, 2_000);
const MINUTE_MS = 60_000;
const IDLE_SAMPLE_MS = 20_000;

const round = (n: number) => Number(n.toFixed(2));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** A provider whose slots are handed out one after the other, from 8 days ahead (past any answer time). */
class Provider {
  private taken = 0;
  private readonly first = Math.ceil((Date.now() + 8 * 24 * 60 * MINUTE_MS) / QUARTER_MS) * QUARTER_MS;
  constructor(readonly serviceId: number) {}
  nextSlot(): string {
    return new Date(this.first + this.taken++ * QUARTER_MS).toISOString();
  }
}

interface Customer {
  id: number;
  token: string;
}

/**
 * The customer's call, as a client makes it: answered 503 (the API found Temporal slow to answer) or
 * 429, retried after a second; answered 401 (their token expired: the build of 100,000 takes longer
 * than a token lasts), retried with a new one.
 */
async function patiently(backend: Backend, customer: Customer, call: (token: string) => Promise<{ status: number; json: any }>): Promise<{ status: number; json: any }> {
  for (let tries = 1; ; tries++) {
    const res = await call(customer.token);
    if (res.status === 401 && tries === 1) customer.token = await backend.renewToken(customer.id);
    else if ((res.status !== 503 && res.status !== 429) || tries === 10) return res;
    else await sleep(1_000);
  }
}

/** Holds a slot and confirms it through the API: the booking's actor then waits for the provider. */
async function requestBooking(backend: Backend, customer: Customer, provider: Provider): Promise<void> {
  const hold = await patiently(backend, customer, (token) => apiCall(backend, token, 'POST', '/api/v1/bookings/hold', { serviceId: provider.serviceId, startsAt: provider.nextSlot() }));
  if (hold.status !== 201) throw new Error(`hold answered ${hold.status}: ${JSON.stringify(hold.json)}`);
  const confirm = await patiently(backend, customer, (token) => apiCall(backend, token, 'POST', `/api/v1/bookings/${hold.json.id}/confirm`, {}));
  if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}: ${JSON.stringify(confirm.json)}`);
}

/** Runs `one` for 0..count-1, CONCURRENCY at a time, with progress; answers the rate per second. */
const build = (label: string, count: number, one: (i: number) => Promise<void>) => inTurn(label, count, CONCURRENCY, one);

async function databaseBytes(backend: Backend): Promise<{ all: number; temporal: number }> {
  const { rows } = await backend.db.raw(`select pg_database_size(current_database())::bigint as all,
    (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'temporal' and c.relkind in ('r', 'm'))::bigint as temporal`);
  return { all: Number(rows[0].all), temporal: Number(rows[0].temporal) };
}

/** The mean history length of the given bookings' actors (the events a worker replays when one left its cache). */
async function meanHistoryLength(backend: Backend, bookingIds: number[]): Promise<number> {
  const { rows } = await backend.db.raw(`select avg(history_length)::float as mean from temporal.executions where workflow_id = any(?)`, [bookingIds.map((id) => `booking-${id}`)]);
  return Number(rows[0].mean);
}

const memory = () => ({ rss: treeMemoryMbByPart(process.pid, backendPartOf, 'rss'), pss: treeMemoryMbByPart(process.pid, backendPartOf, 'pss') });

/** The due group's bookings: how late each auto-decline was, and which were lost or doubled. */
async function dueOutcome(backend: Backend, ids: number[]): Promise<{ latenessMs: number[]; declined: number; doubled: number }> {
  const { rows } = await backend.db.raw(
    `select b.id, b.state, extract(epoch from (min(e.at) - b.respond_by)) * 1000 as late_ms, count(e.id)::int as fires
       from bookings b left join booking_events e on e.booking_id = b.id and e.action = 'auto_decline'
      where b.id = any(?) group by b.id`,
    [ids],
  );
  const fired = rows.filter((r: { fires: number }) => r.fires > 0);
  return {
    latenessMs: fired.map((r: { late_ms: string }) => Number(r.late_ms)).sort((a: number, b: number) => a - b),
    declined: fired.filter((r: { state: string }) => r.state === 'declined').length,
    doubled: rows.filter((r: { fires: number }) => r.fires > 1).length,
  };
}

/** The same rows without actors, in SQL: a hold inserted, then set requested with its deadline. */
async function baselineRows(backend: Backend, provider: Provider, customers: Customer[], providerId: number): Promise<number> {
  return build('baseline rows', BASELINE_ROWS, async (i) => {
    const startsAt = new Date(provider.nextSlot());
    const row = await insertHold(backend.db, { serviceId: provider.serviceId, providerId, customerId: customers[i % customers.length].id, startsAt, endsAt: new Date(startsAt.getTime() + QUARTER_MS), bufferBeforeMinutes: 0, bufferAfterMinutes: 0, holdExpiresAt: new Date(Date.now() + 600_000), priceMinor: 1000, currency: 'EUR' });
    await backend.db('bookings').where({ id: row!.id }).update({ state: 'requested', respond_by: new Date(Date.now() + WEEK_MINUTES * MINUTE_MS) });
  });
}

export default async function run(): Promise<BenchResult> {
  const backend = await startBackend();
  try {
    const waiting = ACTORS - DUE;
    console.log(`actors-idle: ${ACTORS} booking actors, ${DUE} of them due in one minute`);
    const empty = memory();
    const emptyDb = await databaseBytes(backend);

    const customerCount = Math.max(20, Math.ceil(ACTORS / HOLDS_PER_CUSTOMER));
    const customers: Customer[] = [];
    await build('customers', customerCount, async () => void customers.push(await backend.person('customer')));
    const weekProviders: Provider[] = [];
    for (let i = 0; i < Math.ceil(waiting / SLOTS_PER_PROVIDER); i++) weekProviders.push(new Provider((await openProvider(backend, { responseSlaMinutes: WEEK_MINUTES })).serviceId));

    // The actors that wait a week.
    let holds = 0;
    const customer = () => customers[holds++ % customers.length];
    const { result: startsPerSecond, byPart: buildCpu } = await backendCpuOf(() =>
      build('waiting a week', waiting, (i) => requestBooking(backend, customer(), weekProviders[i % weekProviders.length])),
    );

    // The due group: its deadlines all in the minute from dueAt, the first at least 5 minutes after its confirm.
    const expectedMs = (DUE / startsPerSecond) * 1000 * 1.5;
    const dueAt = Math.ceil((Date.now() + expectedMs + (MIN_ANSWER_MINUTES + 1) * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    const answerMinutes = (now: number) => Math.max(MIN_ANSWER_MINUTES, Math.ceil((dueAt - now) / MINUTE_MS));
    const dueProviders = new Map<number, Provider>();
    for (let minutes = answerMinutes(Date.now()); minutes >= MIN_ANSWER_MINUTES; minutes--) {
      dueProviders.set(minutes, new Provider((await openProvider(backend, { responseSlaMinutes: minutes })).serviceId));
    }
    await build(`due at ${new Date(dueAt).toISOString()}`, DUE, () => requestBooking(backend, customer(), dueProviders.get(answerMinutes(Date.now()))!));
    const { rows: dueRows } = await backend.db.raw(`select id from bookings where service_id = any(?)`, [[...dueProviders.values()].map((p) => p.serviceId)]);
    const dueIds = dueRows.map((r: { id: number }) => Number(r.id));

    // All open: what each live actor costs, once the server has let the idle ones go (10 s after their last change).
    await untilIdle(process.pid);
    await sleep(12_000);
    const full = memory();
    const fullDb = await databaseBytes(backend);
    const dueHistoryBefore = await meanHistoryLength(backend, dueIds);
    const perActorKb = (kind: 'rss' | 'pss', part: string) => round((((full[kind].get(part) ?? 0) - (empty[kind].get(part) ?? 0)) * 1024) / ACTORS);

    console.log('  restarting the Temporal server with every actor open');
    const restartReadyMs = await backend.restartTemporal();
    const connection = await Connection.connect({ address: backend.ctx.temporal!.address });
    const firstAnswerMs = restartReadyMs + (await (async () => {
      const began = performance.now();
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return performance.now() - began;
    })());
    await connection.close();
    await sleep(3_000);
    const serverRssAfterRestartMb = memory().rss.get('temporal') ?? 0;

    console.log(`  waiting for the due minute (${Math.round((dueAt - Date.now()) / 1000)} s)`);
    // What the backend spends with nothing due (pollers, timers, the bench's own checks), per second:
    // taken off the due window's CPU, so that a fire's figure is its own however small the due group.
    await sleep(dueAt - Date.now() - IDLE_SAMPLE_MS - 5_000);
    const idleBefore = treeCpuMsByPart(process.pid, backendPartOf);
    await sleep(IDLE_SAMPLE_MS);
    const idleMsPerSecond = new Map([...treeCpuMsByPart(process.pid, backendPartOf)].map(([part, ms]) => [part, ((ms - (idleBefore.get(part) ?? 0)) * 1000) / IDLE_SAMPLE_MS]));
    await sleep(dueAt - Date.now());
    const windowBegan = performance.now();
    const { result: outcome, byPart: fireCpuGross } = await backendCpuOf(async () => {
      for (let outcome = await dueOutcome(backend, dueIds); ; outcome = await dueOutcome(backend, dueIds)) {
        console.log(`  due minute: ${outcome.latenessMs.length} of ${DUE} declined`);
        if (outcome.latenessMs.length >= DUE || Date.now() > dueAt + 5 * MINUTE_MS) return outcome;
        await sleep(5_000);
      }
    });
    const windowSeconds = (performance.now() - windowBegan) / 1000;
    const fireCpu = new Map([...fireCpuGross].map(([part, ms]) => [part, Math.max(0, ms - (idleMsPerSecond.get(part) ?? 0) * windowSeconds)]));
    const dueHistoryAfter = await meanHistoryLength(backend, dueIds);
    const stillWaiting = Number((await backend.db.raw(`select count(*) from bookings where state = 'requested' and not (id = any(?))`, [dueIds])).rows[0].count);
    // The due group's actors end just after their decline is written: give them a moment.
    const countOpen = async () => (await backend.ctx.temporal!.client.workflow.count(`WorkflowType = 'bookingWorkflow' AND ExecutionStatus = 'Running'`)).count;
    let openActors = await countOpen();
    for (let tries = 0; openActors > waiting && tries < 30; tries++) openActors = await sleep(1_000).then(countOpen);

    // Baseline: the same rows without actors.
    const rowsBefore = await databaseBytes(backend);
    const baselineProvider = await openProvider(backend, { responseSlaMinutes: WEEK_MINUTES });
    const rowsPerSecond = await baselineRows(backend, new Provider(baselineProvider.serviceId), customers, baselineProvider.providerId);
    const rowsBytes = (await databaseBytes(backend)).all - rowsBefore.all;

    const cpuPer = (byPart: Map<string, number>, count: number) =>
      Object.fromEntries(['root', 'worker', 'temporal', 'postgres'].map((part) => [`${part === 'root' ? 'api' : part}CpuMsPer`, round((byPart.get(part) ?? 0) / count)]));
    const buildCpuPerActor = cpuPer(buildCpu, waiting);
    const fireCpuPerDeadline = cpuPer(fireCpu, DUE);
    const lost = DUE - outcome.declined + (waiting - stillWaiting) + Math.abs(waiting - openActors);
    const figures = {
      actors: ACTORS,
      startsPerSecond: round(startsPerSecond),
      ...Object.fromEntries(Object.entries(buildCpuPerActor).map(([k, v]) => [k.replace('Per', 'PerStart'), v])),
      totalCpuMsPerStart: round([...buildCpu.values()].reduce((a, b) => a + b, 0) / waiting),
      serverRssMb: round(full.rss.get('temporal') ?? 0),
      serverRssAfterRestartMb: round(serverRssAfterRestartMb),
      workerRssMb: round(full.rss.get('worker') ?? 0),
      serverKbPerActor: perActorKb('rss', 'temporal'),
      workerKbPerActor: perActorKb('rss', 'worker'),
      postgresKbPerActor: perActorKb('pss', 'postgres'),
      apiKbPerActor: perActorKb('rss', 'root'),
      dbBytesPerActor: Math.round((fullDb.all - emptyDb.all) / ACTORS),
      temporalDbBytesPerActor: Math.round((fullDb.temporal - emptyDb.temporal) / ACTORS),
      historyEventsPerWaitingActor: round(dueHistoryBefore),
      historyEventsPerFire: round(dueHistoryAfter - dueHistoryBefore),
      restartReadyMs: Math.round(restartReadyMs),
      restartFirstAnswerMs: Math.round(firstAnswerMs),
      dueLatenessP50Ms: round(percentile(outcome.latenessMs, 50)),
      dueLatenessP99Ms: round(percentile(outcome.latenessMs, 99)),
      dueLatenessMaxMs: round(outcome.latenessMs.at(-1) ?? NaN),
      ...Object.fromEntries(Object.entries(fireCpuPerDeadline).map(([k, v]) => [k.replace('Per', 'PerFire'), v])),
      totalCpuMsPerFire: round([...fireCpu.values()].reduce((a, b) => a + b, 0) / DUE),
      idleCpuMsPerSecond: round([...idleMsPerSecond.values()].reduce((a, b) => a + b, 0)),
      lost,
      doubled: outcome.doubled,
    };
    return {
      name: 'actors-idle',
      figures,
      baseline: {
        startsPerSecond: round(rowsPerSecond),
        serverRssMb: round(empty.rss.get('temporal') ?? 0),
        workerRssMb: round(empty.rss.get('worker') ?? 0),
        dbBytesPerActor: Math.round(rowsBytes / BASELINE_ROWS),
      },
      goal: { serverRssMb: `< 500 with ${ACTORS} open (at 100,000 for the issue's goal)`, dueLatenessP99Ms: '< 1000', restartReadyMs: '< 10000', lost: '0', doubled: '0' },
      met: figures.serverRssMb < 500 && figures.serverRssAfterRestartMb < 500 && figures.dueLatenessP99Ms < 1000 && figures.restartReadyMs < 10_000 && lost === 0 && outcome.doubled === 0,
    };
  } finally {
    await backend.stop();
  }
}

if (isMain(import.meta.url)) printResult(await run());
