import {
  ActivityCancellationType,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { JobActivities, AttemptResult, FireWindowResult, UnrunFire } from '../../activities/jobs/types.ts';
import { catchUpDecision } from '../../domain/cron/missed-fires.ts';
import { cursorFor } from '../../domain/cron/run-if-past.ts';
import { retryDelay } from '../../domain/cron/retry-delay.ts';
import { MAX_QUEUED_RUNS, OVERLAP_SKIP_REASON, QUEUE_FULL_REASON } from '../../domain/cron/overlap.ts';
import {
  cronJobStateQuery,
  definitionChangedSignal,
  deleteSignal,
  pauseSignal,
  resumeSignal,
  triggerNowSignal,
  type CarriedState,
  type CronJobDefinition,
  type CronJobInput,
  type CronJobPhase,
  type CronJobSnapshot,
  type RunTrigger,
} from './definitions.ts';

const { planFires } = proxyLocalActivities<JobActivities>({ startToCloseTimeout: '10 seconds' });
const { loadCronJob, recordPendingAttempt, recordUnrunFires, finishJobRun } = proxyActivities<JobActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A job's own timeout is at most 5 minutes; an attempt that crashes the worker is tried again a few
// times (receivers can tell a repeat by X-Pulseboard-Execution-Id), then counts as a failed attempt.
const { runJobAttempt } = proxyActivities<JobActivities>({
  startToCloseTimeout: '6 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});
// A window lasts its span (an hour at most) plus the last fire's own timeout (5 minutes at most).
// It completes asynchronously, when its process's scheduler ends it, and does not heartbeat: its
// process's lease stands for all its windows, and a crashed process's windows are handed back
// within seconds and retried, taking up where they were (window-keeper.ts, window-scheduler.ts).
// Cancelled (and interrupted), it answers what it handled: the actor waits for that answer (the
// SDK's default does not).
const { runJobWindow } = proxyActivities<JobActivities>({
  startToCloseTimeout: '70 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});
// Without heartbeats a cancel would not reach a sleeping window: the interrupt does, at once.
const { interruptJobWindow } = proxyActivities<JobActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});
// Telling people is worth a few tries, but never worth stopping the job for.
const { notifyJobOwners } = proxyActivities<JobActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

/**
 * The actor wakes this long before a fire and hands the attempt over at once; the attempt waits for
 * the due moment itself. That hides the actor's own round trips (timer, task, activity dispatch)
 * from the fire's lateness. Shorter than any cron interval (a second), so it never pulls in a
 * second fire early.
 */
export const FIRE_LEAD_MS = 400;

/**
 * Scheduled fires go out in windows: up to WINDOW_FIRES within WINDOW_SPAN_MS of the first, handed
 * to one activity that sends each at its time. Histories recorded before windows replay the old way.
 */
const FIRE_WINDOWS_PATCH = 'fire-windows';
const WINDOW_FIRES = 60;
const WINDOW_SPAN_MS = 60_000;
/**
 * A schedule whose fires are a minute or more apart gets windows of up to an hour (60 fires of
 * `* * * * *`), handed over WINDOW_HANDOVER_MS before the first: 10,000 such jobs then cost their
 * actors no work at all in the burst at second 0, only their windows' sends. Windows are ended by
 * an interrupt (interruptJobWindow), not by a cancel that waits for a heartbeat. Histories recorded
 * before replay the old way.
 */
const LONG_WINDOWS_PATCH = 'long-fire-windows';
const LONG_WINDOW_SPAN_MS = 3_600_000;
const LONG_WINDOW_GAP_MS = 60_000;
const WINDOW_HANDOVER_MS = 30_000;
/**
 * A long window ends before a minute of the hour that is the job's own (its id modulo 60), not an
 * hour after it began: 10,000 jobs on `* * * * *` created together would otherwise all hand their
 * next window over in the 30 s before the same burst, more work than fits there; staggered, about
 * 1/60 of them hand over before any one burst; and a hand-over takes the fires of the plan it
 * woke with (handsOverPlanned). Histories recorded before replay the old way.
 */
const STAGGERED_WINDOWS_PATCH = 'staggered-fire-windows';
/**
 * A long window's successor is handed over as soon as its first fire is the only one within
 * EARLY_HANDOVER_MS: in the task that the previous window's completion (or a new run) brings, not
 * in one more task woken by a timer 30 s before the fire. One workflow task, a timer and its events
 * fewer per hand-over, each hour of each job. Histories recorded before replay the old way.
 */
const EARLY_HANDOVER_PATCH = 'early-window-hand-over';
const EARLY_HANDOVER_MS = 90_000;

/** Fires handled before the actor continues as new, keeping its history small. */
export const CONTINUE_AS_NEW_AFTER = 100;
const PREVIEW_RUNS = 5;
/** The most next runs a query can ask for. */
export const MAX_PREVIEW_RUNS = 10;

interface Fire {
  runId: string;
  scheduledFor: Date;
  trigger: RunTrigger;
}

/** The job as the actor sees it, and the one place that decides what runs when. */
class CronJob {
  definition: CronJobDefinition | null = null;
  cursor = new Date(0);
  consecutiveFailures = 0;
  deleted = false;
  current: (Fire & { attempt: number }) | null = null;
  /** The window of fires in flight; cancelled (and interrupted) by any signal that changes what should run. */
  private window: CancellationScope | null = null;
  private windowInterrupted = false;
  /** The scheduled times of the window out, if any. */
  private handedOver: Date[] = [];
  nextRetryAt: Date | null = null;
  readonly queue: Fire[] = [];
  readonly triggers: string[] = [];
  firesHandled = 0;
  /** Bumped by every signal and every finished run: the main loop then looks again. */
  changes = 0;
  /** The next fires as last planned (MAX_PREVIEW_RUNS of them), and what that plan was made for. */
  private upcoming: Date[] = [];
  private plannedFor: { definition: CronJobDefinition; cursor: number } | null = null;
  /** A pause or resume that came before the job was loaded (it can share the first workflow task with the start). */
  private earlyToggle: { enabled: boolean; revision: number } | null = null;
  /** Records of fires that did not run, written one after the other. */
  private records: Promise<void> = Promise.resolve();

  constructor(readonly jobId: number) {}

  /** A fresh actor reads the job; one continued as new brings its state along. A signal that came first wins if newer. */
  async load(carried: CarriedState | undefined): Promise<void> {
    const loaded = carried ?? (await loadCronJob(this.jobId));
    if (!loaded) {
      this.deleted = true;
      return;
    }
    if (!this.definition || this.definition.revision < loaded.definition.revision) this.definition = loaded.definition;
    this.cursor = new Date(loaded.cursor);
    if (this.definition !== loaded.definition) this.followSchedule(loaded.definition, this.definition);
    this.consecutiveFailures = loaded.consecutiveFailures;
    if (carried) this.triggers.unshift(...carried.pendingTriggers);
    if (this.earlyToggle && this.earlyToggle.revision >= this.definition.revision) this.setEnabled(this.earlyToggle.enabled, this.earlyToggle.revision);
  }

  get enabled(): boolean {
    return this.definition?.enabled ?? false;
  }

  changeDefinition(next: CronJobDefinition): void {
    if (this.definition && next.revision < this.definition.revision) return;
    // Fires while a job was off are not missed: it was told not to run.
    if (this.definition && !this.definition.enabled && next.enabled) this.cursor = new Date();
    if (this.definition && next.revision > this.definition.revision) this.followSchedule(this.definition, next);
    if (this.definition && next.revision > this.definition.revision) this.interruptWindow();
    this.definition = next;
    this.changes += 1;
  }

  /** A one-time schedule moved to a time already past, saved with runIfPast: it has not run at that time yet. */
  private followSchedule(before: CronJobDefinition, after: CronJobDefinition): void {
    if (JSON.stringify(before.schedule) !== JSON.stringify(after.schedule)) this.cursor = cursorFor(after.schedule, this.cursor, null);
  }

  setEnabled(enabled: boolean, revision: number): void {
    if (!this.definition) this.earlyToggle = { enabled, revision };
    else this.changeDefinition({ ...this.definition, enabled, revision: Math.max(revision, this.definition.revision) });
  }

  trigger(runId: string): void {
    this.triggers.push(runId);
    this.interruptWindow();
    this.changes += 1;
  }

  remove(): void {
    this.deleted = true;
    this.interruptWindow();
    this.changes += 1;
  }

  /** When the next scheduled fire is due; null when nothing is ahead (paused, or a one-time job that ran). */
  nextFireAt(): Date | null {
    return this.definition?.enabled && !this.window ? (this.upcoming[0] ?? null) : null;
  }

  /**
   * How long before its next fire the actor wakes and hands it over: a long window well ahead (out
   * of the burst), anything else just ahead. A run still going gets nothing early: its next fire is
   * offered as it comes (overlap policy), never sent before its time.
   */
  leadMs(): number {
    const [first, second] = this.upcoming;
    const long = !this.current && second !== undefined && second.getTime() - first.getTime() >= LONG_WINDOW_GAP_MS;
    return long && patched(LONG_WINDOWS_PATCH) ? WINDOW_HANDOVER_MS : FIRE_LEAD_MS;
  }

  /** Manual runs to start now; while a window is out they wait for it to end (it is cancelled for them). */
  hasTriggers(): boolean {
    return this.triggers.length > 0 && !this.window;
  }

  idle(): boolean {
    return !this.current && !this.window && this.queue.length === 0 && this.triggers.length === 0;
  }

  mayContinueAsNew(): boolean {
    return this.idle() && (this.firesHandled >= CONTINUE_AS_NEW_AFTER || workflowInfo().continueAsNewSuggested);
  }

  /** Starts what is due now: manual triggers, then the scheduled fires since the cursor. */
  async dispatchDue(): Promise<void> {
    if (this.window) return;
    for (const runId of this.triggers.splice(0)) this.offer({ runId, scheduledFor: new Date(), trigger: 'manual' }, 'queue');
    const definition = this.definition;
    if (!definition?.enabled) {
      this.upcoming = [];
      return;
    }
    const fireAt = this.nextFireAt();
    const planIsCurrent = this.plannedFor?.definition === definition && this.plannedFor.cursor === this.cursor.getTime();
    const horizon = Date.now() + this.leadMs();
    if (planIsCurrent && fireAt && this.handsOverPlanned(fireAt, this.handOverHorizon(horizon))) return this.handOver(fireAt, definition);
    if (planIsCurrent && (!fireAt || fireAt.getTime() > horizon)) return;

    const windows = patched(FIRE_WINDOWS_PATCH);
    const plan = await planFires({ schedule: definition.schedule, cursor: this.cursor.toISOString(), now: new Date(horizon).toISOString(), count: windows ? WINDOW_FIRES : MAX_PREVIEW_RUNS });
    // A signal may have changed the job while the plan was made: the loop then plans again.
    if (definition !== this.definition) return;
    const due = plan.due.map((at) => new Date(at));
    this.upcoming = plan.upcoming.map((at) => new Date(at));
    // A one-time job saved after its time (runIfPast) runs once now, by itself, recorded as a catch-up.
    const late = definition.schedule.kind === 'once' && definition.schedule.runIfPast === true && due.length === 1 && due[0].getTime() < Date.now() - WINDOW_SPAN_MS;
    // A window moves the cursor when it is back, to the last fire it handled.
    if (due.length === 1 && windows && !this.current && !late) {
      this.plannedFor = { definition, cursor: this.cursor.getTime() };
      void this.runWindow(this.windowOf(due[0]), definition);
      return;
    }
    if (due.length) this.cursor = due[due.length - 1];
    this.plannedFor = { definition, cursor: this.cursor.getTime() };
    if (due.length === 1) this.offer({ runId: uuid4(), scheduledFor: due[0], trigger: late ? 'catch_up' : 'schedule' }, definition.overlapPolicy);
    const next = this.upcoming[0];
    if (due.length === 0 && windows && next && this.handsOverPlanned(next, this.handOverHorizon(Date.now() + this.leadMs()))) return this.handOver(next, definition);
    if (due.length <= 1) return;
    // More than one fire is due at once: the actor (or its worker) was down. The catch-up policy decides.
    const decision = catchUpDecision(definition.catchUpPolicy, due);
    const reason = definition.catchUpPolicy === 'skip' ? 'missed while down; the catch-up policy skips missed fires' : 'missed while down; the catch-up policy runs only the latest';
    this.firesHandled += decision.skipped.length;
    this.recordUnrun(decision.skipped.map((at) => ({ runId: uuid4(), scheduledFor: at.toISOString(), status: 'missed', trigger: 'catch_up', reason })));
    if (decision.runScheduledFor) this.offer({ runId: uuid4(), scheduledFor: decision.runScheduledFor, trigger: 'catch_up' }, definition.overlapPolicy);
  }

  /**
   * Whether the plan at hand already holds the long window due now (its first fire alone is within
   * `horizon`): the hand-over then needs no second plan (a local activity, its activation and its
   * marker), once an hour for each of 10,000 jobs. Histories recorded before plan again.
   */
  private handsOverPlanned(fireAt: Date, horizon: number): boolean {
    const [, second] = this.upcoming;
    return (
      !this.current &&
      this.definition?.schedule.kind === 'cron' &&
      fireAt.getTime() <= horizon &&
      (second === undefined || second.getTime() > horizon) &&
      this.leadMs() === WINDOW_HANDOVER_MS &&
      fireAt.getTime() > this.cursor.getTime() &&
      patched(STAGGERED_WINDOWS_PATCH)
    );
  }

  /** How far ahead a planned long window may be handed over: EARLY_HANDOVER_MS, or `horizon` (the lead's) for histories recorded before. */
  private handOverHorizon(horizon: number): number {
    return this.leadMs() === WINDOW_HANDOVER_MS && patched(EARLY_HANDOVER_PATCH) ? Math.max(horizon, Date.now() + EARLY_HANDOVER_MS) : horizon;
  }

  /** Hands over the window beginning at the planned fire `fireAt` (the plan's first). */
  private handOver(fireAt: Date, definition: CronJobDefinition): void {
    this.upcoming = this.upcoming.slice(1);
    void this.runWindow(this.windowOf(fireAt), definition);
  }

  snapshot(count = PREVIEW_RUNS): CronJobSnapshot {
    const now = Date.now();
    // A window handed over ahead holds the next fires: they are still to come.
    const ahead = [...new Set([...this.handedOver, ...this.upcoming].map((at) => at.getTime()))].sort((a, b) => a - b);
    const upcoming = this.definition?.enabled && !this.deleted ? ahead.filter((at) => at > now).slice(0, Math.min(count, MAX_PREVIEW_RUNS)).map((at) => new Date(at)) : [];
    return {
      jobId: this.jobId,
      phase: this.phase(upcoming.length > 0),
      enabled: this.enabled,
      revision: this.definition?.revision ?? 0,
      nextRuns: upcoming.map((d) => d.toISOString()),
      current: this.current && { ...this.current, scheduledFor: this.current.scheduledFor.toISOString() },
      nextRetryAt: this.nextRetryAt?.toISOString() ?? null,
      queued: this.queue.length,
      consecutiveFailures: this.consecutiveFailures,
      runsSinceContinueAsNew: this.firesHandled,
    };
  }

  carry(): CarriedState {
    return { definition: this.definition!, cursor: this.cursor.toISOString(), consecutiveFailures: this.consecutiveFailures, pendingTriggers: [...this.triggers] };
  }

  async recordsWritten(): Promise<void> {
    await this.records;
  }

  private phase(hasNext: boolean): CronJobPhase {
    if (this.deleted) return 'deleted';
    if (this.nextRetryAt) return 'retrying';
    if (this.current) return 'running';
    if (!this.enabled) return 'paused';
    return hasNext ? 'scheduled' : 'completed';
  }

  /** Runs the fire now, or queues or skips it when a run is still going. */
  private offer(fire: Fire, overlap: 'skip' | 'queue'): void {
    this.firesHandled += 1;
    if (!this.current) {
      void this.run(fire);
    } else if (overlap === 'queue' && this.queue.length < MAX_QUEUED_RUNS) {
      this.queue.push(fire);
    } else {
      const reason = overlap === 'queue' ? QUEUE_FULL_REASON : OVERLAP_SKIP_REASON;
      this.recordUnrun([{ runId: fire.runId, scheduledFor: fire.scheduledFor.toISOString(), status: 'skipped', trigger: fire.trigger, reason }]);
    }
  }

  private recordUnrun(fires: UnrunFire[]): void {
    if (fires.length === 0) return;
    this.records = this.records.then(() => recordUnrunFires({ jobId: this.jobId, fires }));
  }

  /**
   * The fires of a window starting at `first`. A failing job gets one fire at a time: its next
   * success must end the streak (and tell people) before another fire counts.
   */
  private windowOf(first: Date): Fire[] {
    const span = this.consecutiveFailures > 0 ? 1 : WINDOW_FIRES;
    const long = this.upcoming.length > 0 && this.upcoming[0].getTime() - first.getTime() >= LONG_WINDOW_GAP_MS && patched(LONG_WINDOWS_PATCH);
    const until = long ? this.longWindowEnd(first.getTime()) : first.getTime() + WINDOW_SPAN_MS;
    const times = [first, ...this.upcoming.filter((at) => at.getTime() < until)].slice(0, span);
    return times.map((scheduledFor) => ({ runId: uuid4(), scheduledFor, trigger: 'schedule' }));
  }

  /** Where a long window beginning at `first` ends (its fires are before it): the job's own minute of the hour, at most an hour on. */
  private longWindowEnd(first: number): number {
    if (!patched(STAGGERED_WINDOWS_PATCH)) return first + LONG_WINDOW_SPAN_MS;
    const ownMinute = (this.jobId % 60) * 60_000;
    const intoHour = (((first - ownMinute) % LONG_WINDOW_SPAN_MS) + LONG_WINDOW_SPAN_MS) % LONG_WINDOW_SPAN_MS;
    return first + LONG_WINDOW_SPAN_MS - intoHour;
  }

  /**
   * Hands the fires over; back, the cursor moves past what was handled, and the last fire is settled
   * like any run. Overlaps within the window follow the job's policy there, without a round trip here.
   */
  private async runWindow(fires: Fire[], { revision, overlapPolicy }: CronJobDefinition): Promise<void> {
    const scope = new CancellationScope();
    this.window = scope;
    this.windowInterrupted = false;
    this.handedOver = fires.map((f) => f.scheduledFor);
    let result: FireWindowResult | null = null;
    try {
      result = await scope.run(() => runJobWindow({ jobId: this.jobId, revision, overlapPolicy, fires: fires.map((f) => ({ runId: f.runId, scheduledFor: f.scheduledFor.toISOString() })) }));
    } catch (error) {
      // Cancelled before it started, nothing ran. Failed for good (its worker crashed again and again), it is unknown here
      // how far it got: the reload below says, and the fires after that follow the catch-up policy.
      if (isCancellation(error)) result = { handled: 0, last: null, changedRevision: null };
    }
    this.window = null;
    this.handedOver = [];
    // Planned again from the cursor: fires the window did not get to are due again, not missed.
    this.plannedFor = null;
    if (result) this.firesHandled += result.handled;
    if (result && result.handled > 0) this.cursor = fires[result.handled - 1].scheduledFor;
    // Failed for good, or the job changed and no signal said so (lost while the scheduler was away): the database knows.
    if (!result || (result.changedRevision !== null && result.changedRevision > (this.definition?.revision ?? 0))) await this.reload();
    // The loop plans again now, even while the last fire goes on retrying.
    this.changes += 1;
    if (result?.last) await this.run(fires[result.handled - 1], result.last);
  }

  /** Ends the window: the cancel is recorded; the interrupt reaches its process at once (a cancel waits for a heartbeat, which windows no longer send). */
  private interruptWindow(): void {
    if (!this.window) return;
    this.window.cancel();
    if (this.windowInterrupted || !patched(LONG_WINDOWS_PATCH)) return;
    this.windowInterrupted = true;
    // Failing for good, it leaves the cancel: a changed job still ends the window at its next fire.
    void interruptJobWindow({ jobId: this.jobId }).catch(() => undefined);
  }

  /** The job and its catch-up cursor as the database has them (the cursor moves when a fire's attempt begins). */
  private async reload(): Promise<void> {
    const loaded = await loadCronJob(this.jobId);
    if (!loaded) return this.remove();
    if (Date.parse(loaded.cursor) > this.cursor.getTime()) this.cursor = new Date(loaded.cursor);
    this.changeDefinition(loaded.definition);
  }

  /** One run: attempts with backoff until success, a failure that retrying cannot fix, or the attempts run out. `first`: its first attempt's result, when a window made it. */
  private async run(fire: Fire, first?: AttemptResult): Promise<void> {
    this.current = { ...fire, attempt: 1 };
    let due = fire.scheduledFor;
    let result: AttemptResult = first ?? (await this.attempt(fire, 1, due));
    while (result.outcome === 'retry' && this.current.attempt < this.definition!.retry.attempts && !this.deleted) {
      const attempt = this.current.attempt + 1;
      const delay = retryDelay({ attempt: attempt - 1, ...this.definition!.retry, retryAfterHeader: result.retryAfter, now: new Date() });
      // The delay counts from the end of the failed attempt, which never ends before it was due
      // (an attempt handed over FIRE_LEAD_MS early waits for its moment).
      const retryAt = new Date(Math.max(Date.now(), due.getTime()) + delay);
      await recordPendingAttempt({ jobId: this.jobId, runId: fire.runId, attempt, scheduledFor: retryAt.toISOString(), trigger: fire.trigger });
      this.nextRetryAt = retryAt;
      await condition(() => this.deleted, retryAt.getTime() - Date.now());
      this.nextRetryAt = null;
      if (this.deleted) break;
      this.current.attempt = attempt;
      due = retryAt;
      result = await this.attempt(fire, attempt, retryAt);
    }
    if (result.outcome === 'gone') this.deleted = true;
    else if (!this.deleted) await this.settle(fire, result);
    this.current = null;
    const next = this.queue.shift();
    if (next && !this.deleted) void this.run(next);
    this.changes += 1;
  }

  private async attempt(fire: Fire, attempt: number, scheduledFor: Date): Promise<AttemptResult> {
    try {
      return await runJobAttempt({ jobId: this.jobId, runId: fire.runId, attempt, scheduledFor: scheduledFor.toISOString(), trigger: fire.trigger });
    } catch (error) {
      // The activity itself kept failing (worker or database trouble): an attempt that did not work.
      return { outcome: 'retry', executionId: null, statusCode: null, retryAfter: null, error: (error as Error).message };
    }
  }

  /** Keeps the failure streak (a success with no streak needs no write), disables at the limit, tells people. */
  private async settle(fire: Fire, result: AttemptResult): Promise<void> {
    if (result.outcome === 'skipped') return;
    const succeeded = result.outcome === 'success';
    if (succeeded && this.consecutiveFailures === 0) return;
    const outcome = await finishJobRun({ jobId: this.jobId, runId: fire.runId, succeeded, error: result.error });
    this.consecutiveFailures = outcome.consecutiveFailures;
    if (outcome.disabled && this.definition) this.definition = { ...this.definition, enabled: false };
    if (!outcome.notify) return;
    try {
      await notifyJobOwners({ jobId: this.jobId, runId: fire.runId, kind: outcome.notify, consecutiveFailures: outcome.consecutiveFailures, error: result.error });
    } catch {
      // Already retried by its policy; the failure is in the execution history either way.
    }
  }
}

/** `cron-job-<jobId>`: sleeps until the next fire, runs it, and repeats for as long as the job exists. */
export async function cronJobWorkflow(input: CronJobInput): Promise<void> {
  const job = new CronJob(input.jobId);

  setHandler(definitionChangedSignal, (definition) => job.changeDefinition(definition));
  setHandler(pauseSignal, ({ revision }) => job.setEnabled(false, revision));
  setHandler(resumeSignal, ({ revision }) => job.setEnabled(true, revision));
  setHandler(triggerNowSignal, ({ runId }) => job.trigger(runId));
  setHandler(deleteSignal, () => job.remove());
  setHandler(cronJobStateQuery, (count) => job.snapshot(count));

  await job.load(input.carried);

  while (!job.deleted && !job.mayContinueAsNew()) {
    const seen = job.changes;
    await job.dispatchDue();
    const fireAt = job.nextFireAt();
    const wait = fireAt ? fireAt.getTime() - job.leadMs() - Date.now() : undefined;
    if (job.changes === seen && !job.hasTriggers() && (wait === undefined || wait > 0)) {
      const changed = () => job.changes !== seen;
      await (wait === undefined ? condition(changed) : condition(changed, wait));
    }
  }

  await job.recordsWritten();
  await condition(allHandlersFinished);
  if (!job.deleted) await continueAsNew<typeof cronJobWorkflow>({ jobId: input.jobId, carried: job.carry() });
}
