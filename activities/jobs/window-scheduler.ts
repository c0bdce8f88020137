import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection.ts';
import { firstAttemptsOf } from '../../db/repositories/executions.ts';
import { MAX_QUEUED_RUNS, OVERLAP_SKIP_REASON, QUEUE_FULL_REASON } from '../../domain/cron/overlap.ts';
import { BURST_PREPARATION_MS, PREPARATION_MS, type AttemptSteps } from './run-attempt.ts';
import type { AttemptResult, FireWindow, FireWindowResult } from './types.ts';
import type { WindowKeeper } from './window-keeper.ts';

/** Fires this far apart or more are each a burst of their own (every job on `* * * * *` at second 0), begun earlier. */
const BURST_GAP_MS = 60_000;

/** A window ends at the first fire that the actor must decide on: a retry, a failure, a deleted job. */
export const endsWindow = (result: AttemptResult) => result.outcome !== 'success' && result.outcome !== 'skipped';

export interface WindowRegistration {
  window: FireWindow;
  /** The window activity's attempt: a retry (> 1) takes up where an earlier try left off. */
  attempt: number;
  taskToken: Uint8Array;
  /** Called once, when the window ends, with what it handled (the activity completes with it). */
  end(result: FireWindowResult): Promise<void>;
}

/**
 * What the scheduler keeps of a window between its fires: 2–3 KB for an hour of fires (run ids
 * packed 16 bytes each, times as doubles), where the activity's input as parsed takes ~10 KB and
 * an SDK activity held open for the hour a slot, a context and its promises too.
 */
interface HeldWindow {
  readonly jobId: number;
  readonly revision: number;
  readonly overlapPolicy: FireWindow['overlapPolicy'];
  readonly runIds: Buffer;
  readonly times: Float64Array;
  /** The window activity's attempt: a retry (> 1) takes up where an earlier try left off. */
  readonly attempt: number;
  readonly taskToken: Uint8Array;
  readonly end: WindowRegistration['end'];
  /** When the window was registered: a retry leaves the fires that came due before it to the actor. */
  readonly begunAt: number;
  /** A retry's view of what earlier tries began (by run id). */
  readonly before: Map<string, { id: number; status: string; status_code: number | null }>;
  next: number;
  handled: number;
  last: AttemptResult | null;
  /** When the previous fire's target answered: a fire due before that came while it was going. */
  answeredAt: number;
  /** When each fire this window sent began: those begun after a fire's time were waiting then. */
  sentAt: number[];
  /** When its next fire begins, while it waits for it (null while a fire goes). */
  wakeAt: number | null;
  interrupted: boolean;
  release: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Run ids are UUIDs (the actor's uuid4()): 16 bytes each. */
function packRunIds(runIds: string[]): Buffer {
  if (!runIds.every((id) => UUID.test(id))) throw new TypeError('a window\'s run ids are UUIDs');
  return Buffer.from(runIds.map((id) => id.replaceAll('-', '')).join(''), 'hex');
}

function runIdAt(runIds: Buffer, index: number): string {
  const hex = runIds.toString('hex', index * 16, index * 16 + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * All of this process's windows of fires, on one timer. Each window's fire begins at its time (2 s
 * ahead for a burst) with the same steps as a single attempt. A fire that comes while the window's
 * previous one is still going follows the overlap policy here (skipped and recorded, or sent late,
 * in turn, with no more waiting than a queue holds), so a slow target costs no round trip to the
 * actor. A window ends after its last fire, at the first fire its actor must decide on, when its
 * job changed (a newer revision), or when interrupted (its actor's NOTIFY, or this process's lease
 * lapsed); its activity then completes with what it handled. Registered again as a retry (its
 * process crashed, or stalled long enough to be taken for dead while its first try still went), it
 * never sends a fire twice: a fire whose attempt had begun is the first try's (see answerOfClaimant),
 * and it stops at the first fire that came due meanwhile: those follow the catch-up policy, in the actor.
 */
export function createWindowScheduler(db: Db, steps: AttemptSteps, keeper: WindowKeeper) {
  /** Waiting windows by the time their next fire begins; one timer for the earliest. */
  const waiting = new Map<number, Set<HeldWindow>>();
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;

  function arm(): void {
    let earliest = Infinity;
    for (const at of waiting.keys()) earliest = Math.min(earliest, at);
    if (earliest === timerAt) return;
    if (timer) clearTimeout(timer);
    timer = null;
    timerAt = earliest;
    if (earliest === Infinity) return;
    // A timer may end a millisecond before the wall clock reaches its time: wake() then arms it again.
    timer = setTimeout(wake, Math.max(0, earliest - Date.now()));
    // Windows never keep a process alive that is otherwise done (its worker keeps it alive).
    timer.unref();
  }

  function wake(): void {
    timer = null;
    timerAt = Infinity;
    const now = Date.now();
    const due: HeldWindow[] = [];
    for (const [at, windows] of waiting) {
      if (at > now) continue;
      waiting.delete(at);
      for (const held of windows) due.push(held);
    }
    arm();
    for (const held of due) {
      held.wakeAt = null;
      void advance(held);
    }
  }

  function wait(held: HeldWindow, at: number): void {
    held.wakeAt = at;
    const windows = waiting.get(at) ?? new Set();
    windows.add(held);
    waiting.set(at, windows);
    if (at < timerAt) arm();
  }

  function interrupt(held: HeldWindow): void {
    held.interrupted = true;
    if (held.wakeAt === null) return;
    // Waiting for a fire: it ends now. A fire that goes ends it when done (a begun fire is sent).
    const windows = waiting.get(held.wakeAt)!;
    windows.delete(held);
    if (windows.size === 0) waiting.delete(held.wakeAt);
    held.wakeAt = null;
    void finish(held, null);
  }

  /** Handles the window's fires from its next one until it must wait for a fire's time, or ends. */
  async function advance(held: HeldWindow): Promise<void> {
    try {
      for (; held.next < held.times.length; held.next += 1) {
        if (held.interrupted) break;
        const dueAt = held.times[held.next];
        const fire = { runId: runIdAt(held.runIds, held.next), scheduledFor: new Date(dueAt).toISOString() };
        const earlier = held.before.get(fire.runId);
        if (earlier?.status === 'success' || earlier?.status === 'skipped') {
          held.last = earlier.status === 'success' ? { outcome: 'success', executionId: earlier.id, statusCode: earlier.status_code, retryAfter: null, error: null } : null;
          held.handled += 1;
          continue;
        }
        if (held.attempt > 1 && !earlier && dueAt < held.begunAt) break;
        const skipped = earlier ? null : overlapSkip(held.overlapPolicy, dueAt, held.answeredAt, held.sentAt);
        if (skipped) {
          await steps.recordUnrun(held.jobId, [{ ...fire, status: 'skipped', trigger: 'schedule', reason: skipped }]);
          held.last = null;
          held.handled += 1;
          continue;
        }
        const previous = held.next > 0 ? held.times[held.next - 1] : -Infinity;
        const beginsAt = dueAt - (dueAt - previous < BURST_GAP_MS ? PREPARATION_MS : BURST_PREPARATION_MS);
        if (beginsAt > Date.now()) return wait(held, beginsAt);
        held.sentAt.push(Date.now());
        const sent = await steps.attempt({ jobId: held.jobId, ...fire, attempt: 1, trigger: 'schedule' }, held.revision);
        if ('changedRevision' in sent) return await finish(held, sent.changedRevision);
        ({ result: held.last, answeredAt: held.answeredAt } = sent);
        held.handled += 1;
        if (endsWindow(held.last)) break;
      }
    } catch {
      // The database is away: the window ends with what it handled; the actor plans the rest again from there.
    }
    await finish(held, null);
  }

  async function finish(held: HeldWindow, changedRevision: number | null): Promise<void> {
    const result: FireWindowResult = { handled: held.handled, last: held.last, changedRevision };
    // Its activity is answered first: a process that dies now leaves a row another hands back to no effect.
    await held.end(result).catch(() => undefined);
    await held.release().catch(() => undefined);
  }

  return {
    /**
     * Takes a window over until it ends; answers how to end it sooner. `temporal`: the worker's
     * client, with which the keeper hands back the windows of a lapsed process (none where no worker runs).
     */
    async register({ window, attempt, taskToken, end }: WindowRegistration, temporal: Client | null): Promise<() => void> {
      const runIds = window.fires.map((f) => f.runId);
      const held: HeldWindow = {
        jobId: window.jobId,
        revision: window.revision,
        overlapPolicy: window.overlapPolicy,
        runIds: packRunIds(runIds),
        times: Float64Array.from(window.fires, (f) => Date.parse(f.scheduledFor)),
        attempt,
        taskToken,
        end,
        begunAt: Date.now(),
        before: attempt > 1 ? await firstAttemptsOf(db, window.jobId, runIds) : new Map(),
        next: 0,
        handled: 0,
        last: null,
        answeredAt: 0,
        sentAt: [],
        wakeAt: null,
        interrupted: false,
        release: async () => undefined,
      };
      // Its process's lease keeps it alive, and an interrupt from its actor ends it (see window-keeper.ts).
      held.release = await keeper.hold({ jobId: window.jobId, taskToken, interrupt: () => interrupt(held) }, temporal);
      void advance(held);
      return () => interrupt(held);
    },
  };
}

export type WindowScheduler = ReturnType<typeof createWindowScheduler>;

/**
 * Why a fire due at `dueAt` does not run, or null: under `skip`, the previous fire's target had not
 * answered by then; under `queue`, as many fires as a queue holds were already waiting then.
 */
function overlapSkip(policy: FireWindow['overlapPolicy'], dueAt: number, answeredAt: number, sentAt: number[]): string | null {
  if (policy === 'skip') return answeredAt > dueAt ? OVERLAP_SKIP_REASON : null;
  return sentAt.filter((at) => at > dueAt).length >= MAX_QUEUED_RUNS ? QUEUE_FULL_REASON : null;
}
