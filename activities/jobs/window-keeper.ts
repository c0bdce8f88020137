import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client as PgClient } from 'pg';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection.ts';
import { forgetWindows, registerWindows, renewOwner, takeLapsedWindows } from '../../db/repositories/fire-windows.ts';
import { groupWrites } from '../../db/group-writes.ts';
import { listenOn } from '../../db/listen.ts';
import { onShutdown } from '../../runtime/shutdown.ts';

/** NOTIFY channel on which an actor asks the process holding its window to end it (payload: the job id). */
export const WINDOW_INTERRUPT_CHANNEL = 'cron_window_interrupt';
const RENEW_EVERY_MS = 2_000;
/** How long a process that stopped renewing is still taken for alive: well beyond a GC pause or a loaded machine's stall. */
const LEASE_MS = 10_000;
const TAKE_AT_ONCE = 500;
const REACH_TIMEOUT_MS = 1_000;
/** How long a stopping process waits for its windows' fires under way; a window still going after it is left to the lease. */
const HAND_BACK_WAIT_MS = 5_000;

export interface KeptWindow {
  jobId: number;
  taskToken: Uint8Array;
  /** Called when the job's actor interrupts the window, or when this process's lease lapsed (its windows were handed back). */
  interrupt(): void;
}

/**
 * Keeps this process's windows of fires alive without a heartbeat each: one lease row renewed
 * every 2 s stands for all of them. A live process hands the windows of a lapsed one back to
 * Temporal (fails their attempts by task token), which retries them on a live worker at once;
 * the retry sends no fire twice (see window-scheduler.ts). An actor ends a window through NOTIFY,
 * which reaches the holding process at once, where a cancel would wait for a heartbeat.
 */
export function createWindowKeeper(db: Db) {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const held = new Set<KeptWindow>();
  let client: Client | null = null;
  let listener: PgClient | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  // Windows begin and end in bursts (10,000 jobs hand theirs over in the same minute): one write each turn.
  const register = groupWrites<{ taskToken: Uint8Array; jobId: number; owner: string }, void>(async (windows) => {
    await registerWindows(db, windows);
    return windows.map(() => undefined);
  }, { gatherTurn: true, maxItems: 1_000 });
  const forget = groupWrites<Uint8Array, void>(async (tokens) => {
    await forgetWindows(db, tokens);
    return tokens.map(() => undefined);
  }, { gatherTurn: true, maxItems: 1_000 });

  const interruptWhere = (matches: (jobId: number) => boolean) => {
    for (const window of held) if (matches(window.jobId)) window.interrupt();
  };

  async function listen(): Promise<void> {
    listener = await listenOn(db, {
      channel: WINDOW_INTERRUPT_CHANNEL,
      applicationName: 'pulseboard-window-keeper',
      onPayload: (payload) => interruptWhere((jobId) => String(jobId) === payload),
      onLost: (connection) => {
        if (listener === connection) listener = null;
      },
    });
  }

  async function tick(): Promise<void> {
    try {
      // Taken for dead meanwhile: its windows may be running elsewhere by now; each ends here and answers what it did.
      if (await renewOwner(db, owner, LEASE_MS)) interruptWhere(() => true);
      if (!listener) await listen();
      if (!client || !(await reaches(client))) return;
      for (const window of await takeLapsedWindows(db, TAKE_AT_ONCE)) {
        await client.activity.fail(window.task_token, ApplicationFailure.retryable('the worker holding this window stopped', 'WindowOwnerLost')).catch(() => undefined);
      }
    } catch {
      // The database is away: tried again on the next tick.
    }
  }

  /**
   * The process is stopping, its worker polling no more: every window ends now and answers what it
   * handled (a fire under way is answered first), so its actor hands the rest to a live worker at
   * once instead of after the lease lapses. The lease is renewed no more: a window still going
   * after HAND_BACK_WAIT_MS is taken over when it lapses, as a crashed process's would be.
   */
  async function handBack(): Promise<void> {
    stopping = true;
    if (timer) clearInterval(timer);
    interruptWhere(() => true);
    for (const until = Date.now() + HAND_BACK_WAIT_MS; held.size && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 50));
    await listener?.end().catch(() => undefined);
  }

  // Registered now, after the worker's connection and before the worker itself: at shutdown the worker
  // stops polling first (a window handed back goes to another worker), then the windows end through
  // the connection, which closes after.
  onShutdown('cron windows', handBack);

  function start(): void {
    if (timer) return;
    timer = setInterval(() => void tick(), RENEW_EVERY_MS);
    timer.unref();
    void tick();
  }

  return {
    /**
     * Holds a window while it runs; answers how to let it go. `temporal`: the worker's client, to
     * hand back lapsed windows (none where no worker runs, as in the scheduler's tests).
     */
    async hold(window: KeptWindow, temporal: Client | null): Promise<() => Promise<void>> {
      if (stopping) throw ApplicationFailure.retryable('the worker process is stopping', 'WindowHandedBack');
      client ??= temporal;
      held.add(window);
      try {
        // The lease exists before the first window names it (else another process would take that window for lapsed).
        if (!timer) {
          await renewOwner(db, owner, LEASE_MS);
          start();
        }
        await register({ jobId: window.jobId, taskToken: window.taskToken, owner });
      } catch (error) {
        held.delete(window);
        throw error;
      }
      return async () => {
        held.delete(window);
        await forget(window.taskToken);
      };
    },
  };
}

export type WindowKeeper = ReturnType<typeof createWindowKeeper>;

/**
 * Whether the Temporal server is there to take windows back. A taken window leaves the table, so a
 * process that cannot hand it back (its server is away, or its worker stopped with the client's
 * server) must not take it: the window would wait for its activity's timeout instead of moving on.
 */
async function reaches(client: Client): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + REACH_TIMEOUT_MS, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

/** Asks the process holding the job's window, wherever it runs, to end it now. */
export async function interruptWindow(db: Db, jobId: number): Promise<void> {
  await db.raw('select pg_notify(?, ?)', [WINDOW_INTERRUPT_CHANNEL, String(jobId)]);
}
