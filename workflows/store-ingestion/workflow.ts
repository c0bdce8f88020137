import { allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { StoreActivities } from '../../activities/stores/types.ts';
import { MIN_CALL_SPACING_MS } from '../../domain/stores/shopify-throttle.ts';
import {
  backfillSignal,
  disconnectSignal,
  storeStatusQuery,
  webhookEventsSignal,
  type BackfillCursor,
  type StoreActorStatus,
  type StoreIngestionInput,
} from './definitions.ts';

const { applyStoreEvents, reconcileStore } = proxyActivities<StoreActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A window stays out until the actor must decide (at most until its reconcile, or WINDOW_MAX_MS):
// its holder heartbeats it, so a worker that dies hands it on within the heartbeat timeout.
const { holdIngestWindow } = proxyActivities<StoreActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { startStoreBackfill, loadBackfillPage, finishStoreBackfill, registerStoreWebhooks } = proxyActivities<StoreActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

const BATCH = 500;
const DEFAULT_RECONCILE_MINUTES = 15;
const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;
/**
 * How long a store that sends nothing keeps its window. Holding one costs a heartbeat every 10 s
 * (a few tenths of a ms); opening one costs a signal, two workflow tasks and an activity (~17 ms):
 * a store quiet for two minutes costs about a third of a reopening.
 */
const DEFAULT_WINDOW_IDLE_MS = 120_000;
/**
 * A store's window is out while the store is live: from the actor's start (a store just connected
 * or a run just continued), and again at once after any window that did not end for quiet (its
 * reconcile, continue-as-new). A delivery then finds a window instead of signalling the actor, who
 * would first have to open one: when hundreds of stores begin sending together, hundreds of
 * openings at once took seconds. Runs recorded before open a window only for signalled events.
 */
const LIVE_WINDOWS_PATCH = 'windows-while-live';
const WINDOW_MAX_MS = 30 * 60_000;

/** The actor's state and the only code that changes it; handlers delegate here. */
class StoreActor {
  readonly pending: number[];
  readonly queued: Set<number>;
  applied = 0;
  /** The store is live: keep a window out even with nothing waiting (see LIVE_WINDOWS_PATCH). */
  live = false;
  backfill: BackfillCursor | null;
  requestedBackfillDays: number | null;
  backfillBusy = false;
  stopped = false;
  /** Set when the run is about to continue as new: the backfill loop parks at a page boundary. */
  draining = false;
  nextReconcileAt: number;

  constructor(readonly input: StoreIngestionInput) {
    this.pending = [...(input.pendingEventIds ?? [])];
    this.queued = new Set(this.pending);
    this.backfill = input.backfill ?? null;
    this.requestedBackfillDays = input.requestedBackfillDays ?? (input.initialBackfillDays ? input.initialBackfillDays : null);
    this.nextReconcileAt = input.nextReconcileAt ? Date.parse(input.nextReconcileAt) : Date.now() + this.reconcileEveryMs;
  }

  get reconcileEveryMs(): number {
    return (this.input.reconcileEveryMinutes ?? DEFAULT_RECONCILE_MINUTES) * 60_000;
  }

  get dueToContinueAsNew(): boolean {
    return this.applied >= (this.input.continueAsNewAfter ?? DEFAULT_CONTINUE_AS_NEW_AFTER);
  }

  enqueue(eventIds: number[]): void {
    for (const id of eventIds) {
      if (this.queued.has(id)) continue;
      this.queued.add(id);
      this.pending.push(id);
    }
  }

  async applyBatch(): Promise<void> {
    const batch = this.pending.splice(0, BATCH);
    const result = await applyStoreEvents({ storeId: this.input.storeId, eventIds: batch });
    for (const id of batch) this.queued.delete(id);
    this.applied += batch.length;
    if (result.storeDeleted) this.stopped = true;
  }

  get windowIdleMs(): number {
    return this.input.ingestWindowIdleMs ?? DEFAULT_WINDOW_IDLE_MS;
  }

  /**
   * Hands the store's webhooks to an ingest window (see activities/stores/ingest-windows.ts): it
   * applies what is waiting, and then each delivery as it arrives, with no signal or task here,
   * until the reconcile is due, the run has applied enough to continue as new, or the store goes
   * quiet. Ids signalled meanwhile were stored before their signal: the window took them, or the
   * next one will.
   */
  async holdWindow(): Promise<void> {
    const taken = this.pending.splice(0);
    const result = await holdIngestWindow({
      storeId: this.input.storeId,
      until: new Date(Math.min(this.nextReconcileAt, Date.now() + WINDOW_MAX_MS)).toISOString(),
      limit: Math.max(1, (this.input.continueAsNewAfter ?? DEFAULT_CONTINUE_AS_NEW_AFTER) - this.applied),
      idleMs: this.windowIdleMs,
    });
    for (const id of taken) this.queued.delete(id);
    this.applied += result.applied;
    if (result.storeDeleted) this.stopped = true;
    this.live &&= result.quiet === false;
  }

  async reconcile(): Promise<void> {
    const result = await reconcileStore({ storeId: this.input.storeId });
    if (result.storeDeleted) this.stopped = true;
    this.enqueue(result.strandedEventIds);
    this.nextReconcileAt = Date.now() + this.reconcileEveryMs;
  }

  /** Loads history page by page, never faster than two calls a second, slower when the platform says so. */
  async runBackfills(): Promise<void> {
    for (;;) {
      await condition(() => this.stopped || this.draining || this.backfill !== null || this.requestedBackfillDays !== null);
      if (this.stopped || this.draining) return;
      if (this.requestedBackfillDays !== null) {
        const days = this.requestedBackfillDays;
        this.requestedBackfillDays = null;
        const started = await startStoreBackfill({ storeId: this.input.storeId, days });
        if (!started) return void (this.stopped = true);
        this.backfill = { backfillId: started.backfillId, since: started.since, cursor: null, pages: 0 };
      }
      await this.loadPages();
    }
  }

  private async loadPages(): Promise<void> {
    while (this.backfill && !this.stopped && !this.draining && this.requestedBackfillDays === null) {
      const backfill = this.backfill;
      this.backfillBusy = true;
      let page;
      try {
        page = await loadBackfillPage({ storeId: this.input.storeId, backfillId: backfill.backfillId, since: backfill.since, cursor: backfill.cursor, page: backfill.pages + 1 });
      } catch (error) {
        // An activity failure wraps the activity's own error, which says what the platform answered.
        const reason = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
        await finishStoreBackfill({ storeId: this.input.storeId, backfillId: backfill.backfillId, error: reason });
        this.backfill = null;
        return;
      } finally {
        this.backfillBusy = false;
      }
      if (page.storeDeleted) return void (this.stopped = true);
      if (!page.throttled) {
        backfill.pages += 1;
        backfill.cursor = page.next;
        if (page.next === null) {
          await finishStoreBackfill({ storeId: this.input.storeId, backfillId: backfill.backfillId, error: null });
          this.backfill = null;
          return;
        }
      }
      await sleep(Math.max(MIN_CALL_SPACING_MS, page.waitMs));
    }
  }

  status(): StoreActorStatus {
    return {
      storeId: this.input.storeId,
      pendingEvents: this.pending.length,
      appliedThisRun: this.applied,
      backfill: this.backfill,
      nextReconcileAt: new Date(this.nextReconcileAt).toISOString(),
    };
  }
}

/**
 * `store-<storeId>`: as long as the store is connected. Webhook events arrive by signal (with
 * start, so the first webhook after a restart creates the actor); the actor then hands out an
 * ingest window, which applies them and the ones that follow in id order in a worker process
 * until the actor must decide again (runs begun before windows apply each signalled batch in an
 * activity); a backfill runs beside them; a timer reconciles. Every N events it continues as new,
 * carrying its queue and backfill position, once every handler has finished.
 */
export async function storeIngestionWorkflow(input: StoreIngestionInput): Promise<void> {
  const actor = new StoreActor(input);
  // Runs begun before ingest windows apply each batch in an activity of its own, as they did.
  const windows = patched('ingest-windows') && actor.windowIdleMs > 0;
  setHandler(webhookEventsSignal, ({ eventIds }) => actor.enqueue(eventIds));
  setHandler(backfillSignal, ({ days }) => {
    actor.requestedBackfillDays = days;
  });
  setHandler(disconnectSignal, () => {
    actor.stopped = true;
  });
  setHandler(storeStatusQuery, () => actor.status());

  // Beside the backfill and the webhooks already arriving: a refusal is on the store's health card
  // (the activity records it), and each reconcile tries the registration again.
  const registration = input.registerWebhooks ? registerStoreWebhooks({ storeId: input.storeId }).catch(() => undefined) : null;

  const backfills = actor.runBackfills();
  actor.live = windows && patched(LIVE_WINDOWS_PATCH);
  while (!actor.stopped && !actor.dueToContinueAsNew) {
    const untilReconcile = Math.max(1, actor.nextReconcileAt - Date.now());
    await condition(() => actor.stopped || actor.pending.length > 0 || actor.live, untilReconcile);
    if (actor.stopped) break;
    const due = Date.now() >= actor.nextReconcileAt;
    // Reconcile calls the store's API too: wait while a backfill is using the per-store rate. A due
    // reconcile goes before waiting events: a busy store always has some, and lost signals, missed
    // orders and the revenue-drop check must not wait for a lull. (Runs recorded before the patch
    // applied the events first.)
    if (due && actor.backfill === null && (actor.pending.length === 0 || patched('reconcile-before-waiting-events'))) await actor.reconcile();
    else if (actor.pending.length > 0 || (actor.live && !due)) await (windows ? actor.holdWindow() : actor.applyBatch());
    else if (due) actor.nextReconcileAt = Date.now() + MIN_CALL_SPACING_MS * 20;
  }

  actor.draining = true;
  await condition(() => !actor.backfillBusy);
  await backfills;
  await registration;
  if (actor.stopped) return;
  await condition(allHandlersFinished);
  await continueAsNew<typeof storeIngestionWorkflow>({
    storeId: input.storeId,
    reconcileEveryMinutes: input.reconcileEveryMinutes,
    continueAsNewAfter: input.continueAsNewAfter,
    ingestWindowIdleMs: input.ingestWindowIdleMs,
    pendingEventIds: actor.pending,
    backfill: actor.backfill,
    requestedBackfillDays: actor.requestedBackfillDays,
    nextReconcileAt: new Date(actor.nextReconcileAt).toISOString(),
  });
}
