import { randomUUID } from 'node:crypto';
import type { Client as PgClient } from 'pg';
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { ActivityNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { groupWrites } from '../../db/group-writes.ts';
import { listenOn } from '../../db/listen.ts';
import { closeIngestWindows, openIngestWindows, STORE_EVENTS_CHANNEL, type IngestWindowRow } from '../../db/repositories/store-ingest-windows.ts';
import { onShutdown } from '../../runtime/shutdown.ts';
import { applyReceivedEvents, RECEIVED_AT_ONCE } from './apply-events.ts';
import type { ApplyEventsResult, IngestWindowInput, IngestWindowResult, StoreActivityDeps } from './types.ts';

/**
 * How long the first store named waits for others before a grouped apply begins: a group's own
 * statements (begin, commit, a few for all its stores) are shared by more stores the longer it is.
 */
const GATHER_MS = 100;
/**
 * The least time between two applies of one store: a busy store's events gather for it and go
 * in one batch, whose statements cost about the same whatever its size (as the API's signals to
 * an actor were spaced). Stores that send a webhook now and then never wait for it.
 */
const SPACING_MS = 200;
const TICK_MS = 1_000;
/** Each held window's activity heartbeats this often; its heartbeat timeout (the workflow's) is a few times more. */
export const HEARTBEAT_EVERY_MS = 10_000;
const handedBack = () => ApplicationFailure.retryable('the worker process holding this window stopped', 'IngestWindowHandedBack');

/** A window's row outlives its planned end by this much, in case its holder dies without closing it. */
const ROW_MARGIN_MS = 60_000;

interface HeldWindow {
  storeId: number;
  taskToken: Uint8Array;
  /** This window's row (a later window of the same store, held elsewhere, has another). */
  holder: string;
  client: Client;
  until: number;
  limit: number;
  idleMs: number;
  applied: number;
  storeDeleted: boolean;
  lastEventAt: number;
  /** When its last apply began. */
  appliedAt: number;
  /** Ending because the store sent nothing for `idleMs`. */
  quiet: boolean;
  heartbeatAt: number;
}

/**
 * The ingest windows of one worker process. A store actor hands out a window (holdIngestWindow):
 * the activity registers it here and returns at once without completing (CompleteAsyncError);
 * from then on each delivery the API records for that store names it on a NOTIFY channel, and
 * this process applies the received events of every store so named together, one transaction for
 * all of them (applyReceivedEvents), with no signal, workflow task or activity per event. The
 * window is completed by its task token when the actor must decide again: its reconcile is due,
 * it reached its count before continue-as-new, the store went quiet for `idleMs` (a quiet store
 * costs nothing held), the store is gone, or applying failed (the activity fails and is retried).
 * A new window first applies whatever was received meanwhile, so nothing waits through a hand-over;
 * claiming marks events applied in the same transaction, so nothing is applied twice. A process
 * that dies stops heartbeating its windows: Temporal retries each on a live worker.
 */
export function createIngestWindows(deps: StoreActivityDeps) {
  const held = new Map<number, HeldWindow>();
  const named = new Set<number>();
  let listener: PgClient | null = null;
  let listening: Promise<void> | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let gather: NodeJS.Timeout | null = null;
  let busy = false;
  let stopping = false;
  // A thousand stores hand out their windows in the same few seconds after a restart: one write each turn.
  const open = groupWrites<IngestWindowRow, void>(async (rows) => {
    await openIngestWindows(deps.db, [...new Map(rows.map((r) => [r.storeId, r])).values()]);
    return rows.map(() => undefined);
  }, { gatherTurn: true, maxItems: 1_000 });

  async function listen(): Promise<void> {
    listener = await listenOn(deps.db, {
      channel: STORE_EVENTS_CHANNEL,
      applicationName: 'pulseboard-ingest-windows',
      onPayload: (payload) => name(Number(payload)),
      onLost: (connection) => {
        if (listener === connection) listener = null;
      },
    });
    // Deliveries named while no one listened: every held store is looked at once.
    for (const storeId of held.keys()) name(storeId);
  }

  function ensureListening(): Promise<void> {
    if (listener) return Promise.resolve();
    listening ??= listen().finally(() => (listening = null));
    return listening;
  }

  function name(storeId: number): void {
    const window = held.get(storeId);
    if (!window) return;
    // Quiet means nothing received: a window waiting behind a long apply is not idle.
    window.lastEventAt = Date.now();
    named.add(storeId);
    if (!busy) pumpIn(GATHER_MS);
  }

  function pumpIn(ms: number): void {
    if (!gather) gather = setTimeout(() => void pump(), ms);
  }

  /** One thing at a time: a grouped apply, then the windows' ends and heartbeats (never starved by a steady flow). */
  async function pump(): Promise<void> {
    gather = null;
    if (busy) return;
    busy = true;
    try {
      await applyNamed();
      await endDue();
      heartbeat();
    } finally {
      busy = false;
      const next = Math.min(...[...named].map((id) => held.get(id)?.appliedAt ?? 0));
      if (named.size > 0) pumpIn(Math.max(GATHER_MS, next + SPACING_MS - Date.now()));
    }
  }

  async function applyNamed(): Promise<void> {
    const now = Date.now();
    const storeIds: number[] = [];
    for (const id of named) {
      const window = held.get(id);
      if (window && now - window.appliedAt < SPACING_MS) continue; // its turn comes
      named.delete(id);
      if (!window) continue;
      window.appliedAt = now;
      storeIds.push(id);
    }
    if (!storeIds.length) return;
    let results;
    try {
      results = await applyReceivedEvents(deps, storeIds);
    } catch (error) {
      // The database is away, say: the actors retry their windows (a fresh attempt applies what waits).
      return end(storeIds.map((id) => held.get(id)!), error);
    }
    const ending: HeldWindow[] = [];
    for (const [storeId, result] of results) {
      const window = held.get(storeId);
      if (!window) continue;
      const claimed = count(window, result);
      if (window.storeDeleted || window.applied >= window.limit) ending.push(window);
      else if (claimed >= RECEIVED_AT_ONCE) named.add(storeId); // more are waiting
    }
    await end(ending);
  }

  async function endDue(): Promise<void> {
    const now = Date.now();
    const due = [...held.values()].filter((w) => now >= w.until || now - w.lastEventAt >= w.idleMs);
    for (const window of due) window.quiet = now - window.lastEventAt >= window.idleMs;
    await end(due);
  }

  /**
   * Closes the windows' rows, applies what came before they closed, then completes their
   * activities (or fails them, to be retried). A delivery that saw a window's row holds a lock on
   * it until it commits, so once the rows are gone every such delivery is in, and the last apply
   * takes it; a delivery after that sees no window and signals the actor.
   */
  async function end(windows: HeldWindow[], error?: unknown): Promise<void> {
    if (!windows.length) return;
    let failure = error;
    try {
      await closeIngestWindows(deps.db, windows);
      if (!failure) for (const [storeId, result] of await applyReceivedEvents(deps, windows.map((w) => w.storeId))) count(held.get(storeId), result);
    } catch (closing) {
      failure ??= closing;
    }
    for (const window of windows) if (held.get(window.storeId) === window) held.delete(window.storeId);
    await Promise.all(
      windows.map((w) => {
        const result: IngestWindowResult = { applied: w.applied, storeDeleted: w.storeDeleted, quiet: w.quiet };
        const done = failure
          ? w.client.activity.fail(w.taskToken, ApplicationFailure.retryable(`applying the store's events failed: ${(failure as Error).message}`, 'IngestWindowFailed'))
          : w.client.activity.complete(w.taskToken, result);
        // Not found: the attempt timed out or the run ended; a retry (or nothing) holds the store now.
        return done.catch(() => undefined);
      }),
    );
  }

  /** Adds an apply's events to the window; answers how many it claimed. */
  function count(window: HeldWindow | undefined, result: ApplyEventsResult): number {
    const claimed = result.applied + result.stale + result.ignored + result.failed;
    if (!window) return claimed;
    window.applied += claimed;
    if (claimed > 0) window.lastEventAt = Date.now();
    window.storeDeleted ||= result.storeDeleted;
    return claimed;
  }

  function heartbeat(): void {
    const now = Date.now();
    for (const window of held.values()) {
      if (now - window.heartbeatAt < HEARTBEAT_EVERY_MS) continue;
      window.heartbeatAt = now;
      window.client.activity.heartbeat(window.taskToken).catch((error: unknown) => {
        // Its attempt is over (timed out while this process stalled, or its run ended): let it go, row and all,
        // or deliveries would go on taking the store for windowed and signal no one.
        if (!(error instanceof ActivityNotFoundError) || held.get(window.storeId) !== window) return;
        held.delete(window.storeId);
        void closeIngestWindows(deps.db, [window]).catch(() => undefined);
      });
    }
  }

  /**
   * The process is stopping: its windows go back to Temporal at once (their attempts fail, to be
   * retried on a live worker) instead of waiting out their heartbeat timeout, and none is taken
   * here any more.
   */
  async function handBack(): Promise<void> {
    stopping = true;
    if (ticker) clearInterval(ticker);
    const windows = [...held.values()];
    held.clear();
    await closeIngestWindows(deps.db, windows).catch(() => undefined);
    await Promise.all(windows.map((w) => w.client.activity.fail(w.taskToken, handedBack()).catch(() => undefined)));
    await listener?.end().catch(() => undefined);
  }

  // Registered now, after the worker's connection and before the worker itself: at shutdown the worker
  // stops polling first (a window handed back is retried on another worker, not taken here again),
  // then the windows go back through the connection, which closes after.
  onShutdown('store ingest windows', handBack);

  function tick(): void {
    if (!listener) void ensureListening().catch(() => undefined);
    if (!busy && !gather) void pump();
  }

  return {
    /** The activity: holds the store's window in this process, completed later by its task token. */
    async holdIngestWindow(input: IngestWindowInput): Promise<IngestWindowResult> {
      if (stopping) throw handedBack();
      const context = Context.current();
      await ensureListening();
      ticker ??= setInterval(tick, TICK_MS).unref();
      const now = Date.now();
      const window: HeldWindow = {
        storeId: input.storeId,
        taskToken: context.info.taskToken,
        holder: randomUUID(),
        client: context.client,
        until: Date.parse(input.until),
        limit: input.limit,
        idleMs: input.idleMs,
        applied: 0,
        storeDeleted: false,
        lastEventAt: now,
        appliedAt: 0,
        quiet: false,
        heartbeatAt: now,
      };
      // Held before its row is written: a delivery that sees the row is named to a window already here.
      held.set(input.storeId, window);
      try {
        await open({ storeId: input.storeId, holder: window.holder, heldUntil: new Date(window.until + ROW_MARGIN_MS) });
      } catch (error) {
        held.delete(input.storeId);
        throw error;
      }
      // What was received before the window (in the hand-over, or before the actor started) goes first.
      name(input.storeId);
      throw new CompleteAsyncError();
    },
  };
}
