import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { startApi } from '../api/server.ts';
import type { Db } from '../db/connection.ts';
import { insertUser } from '../db/repositories/users.ts';
import { hashPassword } from '../domain/identity/passwords.ts';
import { parseConfig } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { withBenchDatabase } from './support/postgres.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';
import { measureDrags } from './support/board-drags.ts';

/**
 * A board of 2,000 cards in 5 columns. Load: `GET /boards/:id` p50/p99, beside the same cards read
 * in plain SQL. Moves: 1,000 `POST /tasks/reorder` from 10 concurrent clients (each moving its own
 * cards, next to its own cards, as people mostly do), timed from the request to the event on
 * another viewer's socket; beside the same one-row updates in plain SQL with a bare `ws` broadcast.
 * The viewer applies events in order; its board must equal the server's: nothing lost or misordered.
 * In a browser: 200 drags, drop to settled card, on the 2,000-card board beside a board of two cards.
 */
const COLUMNS = 5;
const CARDS = 2000;
const LOADS = 100;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const MOVES = 1000;
const DRAGS = 200;
export const PASSWORD = 'bench-password-123';

interface Card {
  id: number;
  columnId: number;
  position: number;
  version: number;
}

const round = (n: number) => Number(n.toFixed(2));
function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

interface Figures {
  loadP50Ms: number;
  loadP99Ms: number;
  movesPerSecond: number;
  moveAnswerP50Ms: number;
  moveAnswerP99Ms: number;
  moveToViewerP50Ms: number;
  moveToViewerP99Ms: number;
  lost: number;
  misordered: number;
  [key: string]: number;
}

function figuresOf(loads: number[], perSecond: number, answers: number[], delivered: { samples: number[]; lost: number }, misorderedCount: number): Figures {
  const load = summary(loads);
  const answer = summary(answers);
  const toViewer = summary(delivered.samples);
  return {
    loadP50Ms: load.p50,
    loadP99Ms: load.p99,
    movesPerSecond: perSecond,
    moveAnswerP50Ms: answer.p50,
    moveAnswerP99Ms: answer.p99,
    moveToViewerP50Ms: toViewer.p50,
    moveToViewerP99Ms: toViewer.p99,
    lost: delivered.lost,
    misordered: misorderedCount,
  };
}

export async function seedBoard(db: Db, count = CARDS): Promise<{ boardId: number; columnIds: number[]; cards: Card[]; email: string }> {
  const email = `bench-${Date.now()}@example.test`;
  const owner = (await insertUser(db, { email, name: 'Bench Owner', role: 'customer', passwordHash: await hashPassword(PASSWORD) }))!;
  const [project] = await db('projects').insert({ owner_id: owner.id, name: 'Bench' }).returning('id');
  const [board] = await db('boards').insert({ project_id: project.id, name: 'Board' }).returning('id');
  const columns = await db('board_columns')
    .insert(Array.from({ length: COLUMNS }, (_, i) => ({ board_id: board.id, name: `Column ${i + 1}`, position: (i + 1) * 1024 })))
    .returning('id');
  const columnIds = columns.map((c: { id: number }) => c.id);
  const rows = Array.from({ length: count }, (_, i) => ({
    board_id: board.id,
    column_id: columnIds[i % COLUMNS],
    title: `Card ${i + 1}: call the customer back about the quote`,
    labels: i % 3 === 0 ? ['urgent-call'] : [],
    position: (Math.floor(i / COLUMNS) + 1) * 1024,
  }));
  const cards: Card[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db('tasks').insert(rows.slice(i, i + 500)).returning(['id', 'column_id', 'position', 'version']);
    cards.push(...inserted.map((r: { id: number; column_id: number; position: number; version: number }) => ({ id: r.id, columnId: r.column_id, position: r.position, version: r.version })));
  }
  return { boardId: board.id, columnIds, cards, email };
}

async function signIn(url: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/auth/sign_in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  return { cookie: cookies.join('; '), csrf: decodeURIComponent(cookies.find((c) => c.startsWith('pb_csrf='))!.slice('pb_csrf='.length)) };
}

/** Each client's next move: one of its own cards, to a random column, after one of its own cards there (or to the bottom). */
function planMove(own: Card[], columnIds: number[]): { card: Card; columnId: number; afterId?: number } {
  const card = own[Math.floor(Math.random() * own.length)];
  const columnId = columnIds[Math.floor(Math.random() * columnIds.length)];
  const anchors = own.filter((c) => c.columnId === columnId && c.id !== card.id);
  const anchor = anchors[Math.floor(Math.random() * anchors.length)];
  return { card, columnId, afterId: anchor?.id };
}

interface Viewer {
  arrivals: Map<string, number>;
  events: Array<{ seq: number; taskId: number; columnId: number; position: number; version: number }>;
  close: () => void;
}

async function openViewer(url: string, cookie: string | undefined, topic: string | undefined): Promise<Viewer> {
  const ws = new WebSocket(url, cookie ? { headers: { cookie } } : {});
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const viewer: Viewer = { arrivals: new Map(), events: [], close: () => ws.terminate() };
  ws.on('message', (raw) => {
    const at = performance.now();
    const message = JSON.parse(String(raw));
    if (message.type !== 'event') return;
    const d = message.data;
    viewer.arrivals.set(`${d.taskId}:${d.version}`, at);
    viewer.events.push({ seq: message.seq, taskId: d.taskId, columnId: d.columnId, position: d.position, version: d.version });
  });
  if (topic) {
    ws.send(JSON.stringify({ type: 'subscribe', topic }));
    await new Promise<void>((resolve) => ws.on('message', (raw) => JSON.parse(String(raw)).type === 'subscribed' && resolve()));
  }
  return viewer;
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Runs `CLIENTS` loops until `MOVES` moves were made; returns moves/s and each move's start by `taskId:version`. */
async function runClients(cards: Card[], columnIds: number[], move: (plan: ReturnType<typeof planMove>) => Promise<Card | null>): Promise<{ perSecond: number; started: Map<string, number>; refused: number; answers: number[] }> {
  const started = new Map<string, number>();
  const answers: number[] = [];
  let left = MOVES;
  let refused = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const own = cards.filter((_, i) => i % CLIENTS === client).map((c) => ({ ...c }));
      while (left > 0) {
        left -= 1;
        const plan = planMove(own, columnIds);
        const at = performance.now();
        const moved = await move(plan);
        answers.push(performance.now() - at);
        if (!moved) {
          refused += 1;
          continue;
        }
        // A drop where the card already was writes and announces nothing: no event to wait for.
        if (moved.version !== plan.card.version) started.set(`${moved.id}:${moved.version}`, at);
        Object.assign(plan.card, { columnId: moved.columnId, position: moved.position, version: moved.version });
      }
    }),
  );
  return { perSecond: round(MOVES / ((performance.now() - began) / 1000)), started, refused, answers };
}

function latencies(started: Map<string, number>, viewer: Viewer): { samples: number[]; lost: number } {
  const samples: number[] = [];
  let lost = 0;
  for (const [key, at] of started) {
    const arrived = viewer.arrivals.get(key);
    if (arrived === undefined) lost += 1;
    else samples.push(arrived - at);
  }
  return { samples, lost };
}

/** Events out of seq order, or a card's version going back: what would leave a screen in the wrong order. */
function misordered(viewer: Viewer): number {
  let count = 0;
  const versions = new Map<number, number>();
  viewer.events.forEach((event, index) => {
    if (index > 0 && event.seq <= viewer.events[index - 1].seq) count += 1;
    if ((versions.get(event.taskId) ?? 0) >= event.version) count += 1;
    versions.set(event.taskId, event.version);
  });
  return count;
}

async function measureApi(db: Db, seeded: Awaited<ReturnType<typeof seedBoard>>): Promise<Figures> {
  const ctx = { config: parseConfig({ NODE_ENV: 'test' }), db, log: createLogger('silent'), temporal: null };
  const api = await startApi(ctx, 0, '127.0.0.1');
  try {
    const session = await signIn(api.url, seeded.email);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' };
    const loads: number[] = [];
    for (let i = 0; i < LOADS + 10; i += 1) {
      const at = performance.now();
      const res = await fetch(`${api.url}/api/v1/boards/${seeded.boardId}`, { headers });
      const body = await res.json();
      if (body.columns.reduce((n: number, c: { count: number }) => n + c.count, 0) !== CARDS) throw new Error('board load lost cards');
      if (i >= 10) loads.push(performance.now() - at);
    }
    const viewer = await openViewer(`${api.url.replace('http', 'ws')}/ws`, session.cookie, `board:${seeded.boardId}`);
    const { perSecond, started, refused, answers } = await runClients(seeded.cards, seeded.columnIds, async ({ card, columnId, afterId }) => {
      const res = await fetch(`${api.url}/api/v1/tasks/reorder`, { method: 'POST', headers, body: JSON.stringify({ taskId: card.id, columnId, afterId, version: card.version }) });
      const body = await res.json();
      return res.ok ? body : null;
    });
    await waitFor(() => [...started.keys()].every((key) => viewer.arrivals.has(key)));
    const delivered = latencies(started, viewer);
    // The viewer's board, built from its events alone, must be the server's board.
    const final = await (await fetch(`${api.url}/api/v1/boards/${seeded.boardId}`, { headers })).json();
    const seen = new Map(seeded.cards.map((c) => [c.id, { ...c }]));
    for (const event of viewer.events) Object.assign(seen.get(event.taskId)!, { columnId: event.columnId, position: event.position });
    const orderOf = (cards: Array<{ id: number; columnId: number; position: number }>) =>
      seeded.columnIds.map((col) => cards.filter((c) => c.columnId === col).sort((a, b) => a.position - b.position || a.id - b.id).map((c) => c.id).join(',')).join('|');
    const serverCards = final.columns.flatMap((c: { tasks: Card[] }) => c.tasks);
    const divergent = orderOf([...seen.values()]) === orderOf(serverCards) ? 0 : 1;
    viewer.close();
    return { ...figuresOf(loads, perSecond, answers, delivered, misordered(viewer) + divergent), refused };
  } finally {
    await api.close();
  }
}

/** The same reads and one-row updates in plain SQL, and a bare ws server broadcasting each change. */
async function measureBaseline(db: Db, seeded: Awaited<ReturnType<typeof seedBoard>>): Promise<Figures> {
  const loads: number[] = [];
  for (let i = 0; i < LOADS + 10; i += 1) {
    const at = performance.now();
    JSON.stringify(await db('tasks').where({ board_id: seeded.boardId }).orderBy(['column_id', 'position']));
    if (i >= 10) loads.push(performance.now() - at);
  }
  const server = createServer();
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const viewer = await openViewer(`ws://127.0.0.1:${port}/`, undefined, undefined);
  let seq = 0;
  try {
    const { perSecond, started, answers } = await runClients(seeded.cards, seeded.columnIds, async ({ card, columnId }) => {
      const [row] = await db('tasks')
        .where({ id: card.id })
        .update({ column_id: columnId, position: db.raw('position + 0.5'), version: db.raw('version + 1') })
        .returning(['id', 'column_id', 'position', 'version']);
      seq += 1;
      const frame = JSON.stringify({ type: 'event', seq, event: 'task.moved', data: { taskId: row.id, columnId: row.column_id, position: row.position, version: row.version } });
      for (const ws of wss.clients) ws.send(frame);
      return { id: row.id, columnId: row.column_id, position: row.position, version: row.version };
    });
    await waitFor(() => [...started.keys()].every((key) => viewer.arrivals.has(key)));
    const delivered = latencies(started, viewer);
    return figuresOf(loads, perSecond, answers, delivered, misordered(viewer));
  } finally {
    viewer.close();
    wss.close();
    server.close();
  }
}

/** The drag figure on a seeded board, through the API serving the built web app. */
export async function measureDragsOn(db: Db, seeded: Awaited<ReturnType<typeof seedBoard>>, drags = DRAGS): Promise<{ p50: number; p99: number }> {
  const api = await startApi({ config: parseConfig({ NODE_ENV: 'test' }), db, log: createLogger('silent'), temporal: null }, 0, '127.0.0.1');
  try {
    return await measureDrags(api.url, seeded.email, PASSWORD, seeded.boardId, drags);
  } finally {
    await api.close();
  }
}

export default async function run(): Promise<BenchResult> {
  return withBenchDatabase('bench_board', 20, async (db) => {
    const seeded = await seedBoard(db);
    const figures = await measureApi(db, seeded);
    const baseline = await measureBaseline(db, await seedBoard(db));
    // In a browser: drop to settled on the 2,000-card board, beside the same drags on a board of two cards.
    const drags = await measureDragsOn(db, seeded);
    const emptyDrags = await measureDragsOn(db, await seedBoard(db, 2));
    Object.assign(figures, { dragSettleP50Ms: drags.p50, dragSettleP99Ms: drags.p99 });
    Object.assign(baseline, { dragSettleP50Ms: emptyDrags.p50, dragSettleP99Ms: emptyDrags.p99 });
    const result: BenchResult = {
      name: 'board',
      figures,
      baseline,
      goal: { loadP99Ms: '< 150 ms', moveToViewerP99Ms: '< 100 ms', dragSettleP99Ms: '< 100 ms', lost: '0', misordered: '0' },
      met: figures.loadP99Ms < 150 && figures.moveToViewerP99Ms < 100 && figures.dragSettleP99Ms < 100 && figures.lost === 0 && figures.misordered === 0,
    };
    return result;
  });
}

if (isMain(import.meta.url)) printResult(await run());
