/**
 * The engine: the registry of runs, the only place state changes are committed, and the glue
 * between the store, matching, deadlines and cross-run effects. Behaviour lives in the modules
 * next to it (workflow-lifecycle, workflow-tasks, commands, activities, updates, queries...).
 */
import { randomUUID } from 'node:crypto';
import { namespaceNotFound, workflowNotFound } from '../grpc/errors.ts';
import type { Logger } from '../logger.ts';
import type { NamespaceRow, Store } from '../store/store.ts';
import { Clock } from './clock.ts';
import { handleDeadlines, hasWorkInFlight, isBusy, nextDeadline, runningActivityCount } from './deadlines.ts';
import { Execution, parseState } from './execution.ts';
import { Matching } from './matching.ts';
import { Mutation } from './mutation.ts';
import { Mutex } from './mutex.ts';
import { TimerQueue } from './timer-queue.ts';
import { performTransfer } from './transfers.ts';
import { offerPendingTasks } from './recovery.ts';
import { Queries } from './queries.ts';
import type { SearchAttributeRegistry } from './search-attribute-registry.ts';
import { limitsFrom, type Limits } from './dynamic-config.ts';
import { Deployments } from './deployments.ts';
import { NexusEndpoints } from './nexus-endpoints.ts';
import { stickyQueue, unstickWorkflowTask } from './workflow-tasks.ts';

/** Closed runs kept in memory for result() polls and queries; older ones are read from the store. */
const CLOSED_RUNS_CACHED = 500;
/**
 * An open run with nothing in flight leaves memory once nothing has changed or asked for it for
 * this long and nothing is due for it soon (a booking waiting days on its answer deadline); the
 * timer queue keeps its next deadline, and it is read again (state, then history) when that is due or
 * someone asks for it. Runs that are talked to every few seconds (a store's webhooks) or woken
 * every minute (a cron job) stay: reading them back each time would cost more than they hold.
 */
const IDLE_RUN_EVICT_MS = 10_000;
/** The real server's stickyPollerUnavailableWindow: a sticky queue nobody polled for this long has lost its worker. */
const STICKY_POLLER_UNAVAILABLE_MS = 10_000;
const DUE_SOON_MS = 60_000;

export class Engine {
  readonly clock = new Clock();
  readonly matching = new Matching();
  readonly timers: TimerQueue;
  readonly namespaces = new Map<string, NamespaceRow>();
  readonly queries = new Queries();
  private readonly runs = new Map<string, Execution>();
  private readonly closedRuns = new Set<string>();
  private readonly current = new Map<string, string>();
  private readonly idLocks = new Map<string, { mutex: Mutex; users: number }>();
  private readonly busyRuns = new Set<string>();
  /** Open runs changed or used lately, by when (wall clock): the candidates for eviction. */
  private readonly changedAt = new Map<string, number>();
  private readonly evictionSweep: NodeJS.Timeout;
  /** One set per store read of a run in progress: the runs evicted while it runs (its answer may predate their last write). */
  private readonly loads = new Set<Set<string>>();
  /** Runs whose due deadlines are being handled: their timer left the queue, their events are not written yet. */
  private readonly firing = new Set<string>();
  /** Runs with activities a worker is running now: how many. */
  private readonly runningActivities = new Map<string, number>();
  private readonly transferring = new Set<string>();
  private taskId = Date.now() * 1000;
  /** Sticky queues of workers that shut down (bounded: names are unique per worker). */
  private readonly goneStickyQueues = new Set<string>();
  /** Every namespace's search attributes and their IndexedValueTypes. */
  readonly searchAttributes: SearchAttributeRegistry;
  readonly limits: Limits;
  readonly deployments: Deployments;
  /** Opened by the server with the store's database (nexus-endpoints.ts). */
  readonly nexusEndpoints = new NexusEndpoints();
  /** Called whenever work may have become idle (time skipping listens). */
  onIdleCheck: () => void = () => {};

  constructor(
    readonly store: Store,
    readonly log: Logger,
    opts: { searchAttributes: SearchAttributeRegistry; dynamicConfig?: Record<string, unknown> },
  ) {
    this.searchAttributes = opts.searchAttributes;
    this.limits = limitsFrom(opts.dynamicConfig);
    this.deployments = new Deployments(store);
    this.timers = new TimerQueue(this.clock, (runId) => void this.onDeadline(runId));
    this.evictionSweep = setInterval(() => this.evictIdleRuns(), 1_000);
    this.evictionSweep.unref();
  }

  stop(): void {
    this.timers.stop();
    clearInterval(this.evictionSweep);
  }

  async init(namespaces: string[]): Promise<void> {
    for (const name of namespaces) {
      await this.store.insertNamespace({ name, id: randomUUID(), description: '', retentionMs: 86_400_000 });
    }
    for (const ns of await this.store.listNamespaces()) this.namespaces.set(ns.name, ns);
    this.deployments.load(await this.store.loadDeployments());
    // Runs with work in flight come back whole; the others only as their next deadline.
    for (const run of await this.store.loadPendingRuns()) {
      if (!run.state) {
        this.timers.set(run.runId, run.wakeAt ?? undefined);
        continue;
      }
      const exec = new Execution(parseState(run.state), null);
      exec.committedJson = run.state;
      this.register(exec);
      offerPendingTasks(this, exec);
      this.afterChange(exec);
    }
  }

  /** An open run by id, if in memory (tasks in matching and runs with work in flight always are). */
  run(runId: string): Execution | undefined {
    return this.runs.get(runId);
  }

  /** Whether a run's sticky worker is gone: it said so (ShutdownWorker), or nothing polled its queue for 10 s (it died). */
  isStickyQueueGone(namespace: string, name: string): boolean {
    return this.goneStickyQueues.has(name) || !this.matching.hasPoller(stickyQueue(namespace, name), STICKY_POLLER_UNAVAILABLE_MS);
  }

  /** A worker left: its cached runs' tasks go to their normal queues at once. */
  async stickyQueueGone(namespace: string, name: string): Promise<void> {
    this.goneStickyQueues.add(name);
    if (this.goneStickyQueues.size > 10_000) this.goneStickyQueues.delete(this.goneStickyQueues.values().next().value as string);
    for (const task of this.matching.drain(stickyQueue(namespace, name))) {
      const exec = this.runs.get(task.runId);
      if (exec && task.kind === 'workflow') await this.mutate(exec, (m) => unstickWorkflowTask(m, task.nonce));
    }
  }

  /** A deployment's current version changed: tasks waiting for the old one are routed again. */
  rerouteTasks(queues: string[]): void {
    for (const queue of queues) {
      for (const task of this.matching.drain(queue)) {
        const exec = this.runs.get(task.runId);
        if (!exec) continue;
        const s = exec.state;
        const activity = task.kind === 'activity' ? s.activities[task.scheduledEventId] : undefined;
        if (task.kind === 'activity' && !activity) continue;
        const target = activity
          ? this.deployments.route(s.namespace, 'activity', activity.attrs.taskQueue.name, s.versioning)
          : this.deployments.route(s.namespace, 'workflow', s.taskQueue, s.versioning);
        this.matching.offer(target, task);
      }
    }
  }

  nextTaskId(): number {
    return ++this.taskId;
  }

  requireNamespace(name: string | undefined): NamespaceRow {
    const ns = this.namespaces.get(name ?? '');
    if (!ns) throw namespaceNotFound(name ?? '');
    return ns;
  }

  /** Task tokens name the namespace by id, as the real server's do. */
  namespaceById(id: string): NamespaceRow {
    for (const ns of this.namespaces.values()) if (ns.id === id) return ns;
    throw namespaceNotFound(id);
  }

  get isIdle(): boolean {
    return this.busyRuns.size === 0 && this.firing.size === 0 && this.transferring.size === 0 && this.queries.size === 0;
  }

  /** Activities workers are running now, over all runs. */
  get runningActivityCount(): number {
    let count = 0;
    for (const n of this.runningActivities.values()) count += n;
    return count;
  }

  /** The run, or the workflow's current (latest) run when runId is empty. */
  async find(namespace: string, workflowId: string, runId?: string): Promise<Execution> {
    const exec = await this.lookup(namespace, workflowId, runId);
    if (!exec) throw workflowNotFound(workflowId, runId);
    return exec;
  }

  /** The workflow's current run, or undefined when the id was never used. */
  findCurrent(namespace: string, workflowId: string): Promise<Execution | undefined> {
    return this.lookup(namespace, workflowId);
  }

  /** Whether the workflow's current run is in memory (if not, the store may still have runs of it). */
  hasCurrentInMemory(namespace: string, workflowId: string): boolean {
    const id = this.current.get(currentKey(namespace, workflowId));
    return id !== undefined && this.runs.has(id);
  }

  private async lookup(namespace: string, workflowId: string, runId?: string): Promise<Execution | undefined> {
    this.requireNamespace(namespace);
    const id = runId || this.current.get(currentKey(namespace, workflowId));
    const exec = (id ? this.runs.get(id) : undefined) ?? (await this.load(() => this.store.loadState(namespace, workflowId, runId || undefined)));
    if (!exec || exec.state.namespace !== namespace || exec.state.workflowId !== workflowId) return undefined;
    // Whoever found it is about to use it: not evicted under their feet.
    this.noteUse(exec);
    return exec;
  }

  /**
   * A run read from the store, or its copy in memory if one is there by then. A copy evicted
   * during the read may have written after the read began: then the store is read again.
   */
  private async load(read: () => Promise<string | undefined>): Promise<Execution | undefined> {
    for (;;) {
      const evictedMeanwhile = new Set<string>();
      this.loads.add(evictedMeanwhile);
      let json: string | undefined;
      try {
        json = await read();
      } finally {
        this.loads.delete(evictedMeanwhile);
      }
      if (!json) return undefined;
      const state = parseState(json);
      if (evictedMeanwhile.has(state.runId)) continue;
      const resident = this.runs.get(state.runId);
      if (resident) return resident;
      const exec = new Execution(state, null);
      exec.committedJson = json;
      this.register(exec, { loaded: true });
      if (!exec.isOpen) this.cacheClosed(exec);
      // Read for a request or a deadline: it leaves memory again once idle, even if nothing changes it.
      this.noteUse(exec);
      return exec;
    }
  }

  /** The run in memory that `exec` was, reading it again if it was evicted. */
  private async resident(exec: Execution): Promise<Execution> {
    const live = this.runs.get(exec.runId) ?? (await this.load(() => this.store.loadRun(exec.runId)));
    if (!live) throw workflowNotFound(exec.state.workflowId, exec.runId);
    return live;
  }

  async loadHistory(exec: Execution): Promise<Buffer[]> {
    if (!exec.history) exec.history = await this.store.loadHistory(exec.runId);
    return exec.history;
  }

  /** Serializes starts of one workflow id (id reuse and conflict policies need a stable view). */
  async withWorkflowIdLock<T>(namespace: string, workflowId: string, fn: () => Promise<T>): Promise<T> {
    const key = currentKey(namespace, workflowId);
    let entry = this.idLocks.get(key);
    if (!entry) this.idLocks.set(key, (entry = { mutex: new Mutex(), users: 0 }));
    entry.users++;
    try {
      return await entry.mutex.run(fn);
    } finally {
      if (--entry.users === 0) this.idLocks.delete(key);
    }
  }

  /**
   * Applies `change` to the run under its lock and commits it. `change` is synchronous and may
   * throw (an RpcError for a bad request): then the run is rolled back to its committed state.
   *
   * `deferWrite` is for handing a workflow task to a worker: the start is not written on its own
   * but with the run's next write, which always follows (the task's completion, failure or
   * timeout). Losing it (a crash, or a rollback) only means the task is handed out again, and
   * the first worker's answer is refused as stale (its token names the start).
   *
   * `answerBeforeCommit` is for handing an activity to a worker: the caller gets the result at
   * once while the lock is held until the commit (a long activity's start must be durable, or a
   * restart would run it a second time while the first attempt still runs).
   */
  async mutate<T>(exec: Execution, change: (m: Mutation) => T, opts: { answerBeforeCommit?: boolean; deferWrite?: boolean } = {}): Promise<T> {
    // A caller that found the run before it was evicted changes the copy in memory now, never a stale one.
    if (exec.evicted) return this.mutate(await this.resident(exec), change, opts);
    let answer: ((value: T) => void) | undefined;
    const early = opts.answerBeforeCommit ? new Promise<T>((resolve) => (answer = resolve)) : undefined;
    const done = exec.lock.run(async () => {
      await this.loadHistory(exec);
      const m = new Mutation(this, exec);
      const historyLength = exec.history!.length;
      let result: T;
      try {
        result = change(m);
        answer?.(result);
        if (opts.deferWrite && !m.spawned.length) exec.unwritten.push(...m.events);
        else if (m.persist || m.events.length || m.spawned.length) await this.commit(m);
      } catch (err) {
        this.rollBack(exec, historyLength, early !== undefined);
        if (early) this.log.error({ err, runId: exec.runId }, 'write of a started task failed');
        throw err;
      }
      for (const child of [m, ...m.spawned]) {
        if (child !== m) this.register(child.exec);
        for (const { queue, task } of child.tasks) this.matching.offer(queue, task);
        this.afterChange(child.exec);
      }
      return result;
    });
    if (!early) return done;
    done.catch(() => undefined);
    return Promise.race([early, done]);
  }

  /**
   * Back to the last written state. A task handed out by the undone change (or by a deferred
   * start) is undone too and goes out again: a workflow task's first worker is then refused as
   * stale; an activity may run twice, as after any lost start.
   */
  private rollBack(exec: Execution, historyLength: number, handedOut: boolean): void {
    const deferred = exec.unwritten.length;
    if (exec.committedJson) exec.state = parseState(exec.committedJson);
    exec.history!.length = historyLength - deferred;
    exec.unwritten = [];
    if (deferred || handedOut) offerPendingTasks(this, exec);
  }

  /**
   * Creates a run: `init` appends its first events. Throws if the write fails. With
   * `ifWorkflowIdUnused` (the caller holds the workflow id's lock), nothing is written and false
   * returned when the store has a run of its workflow id.
   */
  async create(exec: Execution, init: (m: Mutation) => void, opts: { ifWorkflowIdUnused?: boolean } = {}): Promise<boolean> {
    const m = new Mutation(this, exec);
    init(m);
    if (!(await this.commit(m, opts.ifWorkflowIdUnused))) return false;
    this.register(exec);
    for (const { queue, task } of m.tasks) this.matching.offer(queue, task);
    this.afterChange(exec);
    return true;
  }

  /** False when the store refused a new run (see create); nothing was written then. */
  private async commit(m: Mutation, ifWorkflowIdUnused = false): Promise<boolean> {
    const all = [m, ...m.spawned];
    for (const x of all) x.exec.state.stateTransitions = (x.exec.state.stateTransitions ?? 0) + 1;
    const rows = all.map((x) => x.exec.toRow());
    if (ifWorkflowIdUnused) rows[0].ifWorkflowIdUnused = true;
    if (!(await this.store.write(rows, [...m.exec.unwritten, ...all.flatMap((x) => x.events)]))) return false;
    m.exec.unwritten = [];
    all.forEach((x, i) => (x.exec.committedJson = rows[i].state));
    return true;
  }

  /**
   * `loaded`: read back from the store. A closed run read by its id is not made current: a
   * newer run of its workflow id may be in the store only. An open one is always the current.
   */
  private register(exec: Execution, opts: { loaded?: boolean } = {}): Execution {
    const s = exec.state;
    this.runs.set(s.runId, exec);
    if (opts.loaded && !exec.isOpen) return exec;
    const key = currentKey(s.namespace, s.workflowId);
    const currentId = this.current.get(key);
    const current = currentId ? this.runs.get(currentId) : undefined;
    if (!current || current === exec || current.state.startTime <= s.startTime) this.current.set(key, s.runId);
    return exec;
  }

  private afterChange(exec: Execution): void {
    const s = exec.state;
    exec.notifyChanged();
    this.timers.set(s.runId, nextDeadline(s));
    if (isBusy(s)) this.busyRuns.add(s.runId);
    else this.busyRuns.delete(s.runId);
    const running = runningActivityCount(s);
    if (running) this.runningActivities.set(s.runId, running);
    else this.runningActivities.delete(s.runId);
    if (s.outbox.length) void this.runTransfers(exec);
    if (!exec.isOpen) this.cacheClosed(exec);
    this.noteUse(exec);
    this.onIdleCheck();
  }

  /**
   * An open run was just changed, read back or found: it becomes a candidate for eviction, IDLE_RUN_EVICT_MS from now.
   * Deleted then set, so that changedAt stays in the order of its times (the sweep stops at the first recent one).
   */
  private noteUse(exec: Execution): void {
    if (!exec.isOpen) return;
    this.changedAt.delete(exec.runId);
    this.changedAt.set(exec.runId, Date.now());
  }

  /**
   * Open runs neither changed nor asked for for a while, with nothing in flight (see
   * hasWorkInFlight) and nobody holding them (a lock, a long poll, a query's task, a deadline or
   * transfer being handled), leave memory.
   * What stays for each is its entry in the timer queue.
   *
   * changedAt is in the order of its times, so the sweep walks only the runs idle long enough and
   * stops at the first recent one: its cost follows what it evicts, not how many runs are open. A
   * run idle but held goes to the back, looked at again IDLE_RUN_EVICT_MS later.
   */
  private evictIdleRuns(): void {
    const now = Date.now();
    const changedBefore = now - IDLE_RUN_EVICT_MS;
    const soon = this.clock.now() + DUE_SOON_MS;
    for (const [runId, at] of this.changedAt) {
      // Held runs put back during this walk come after every older entry: the walk ends at them at the latest.
      if (at > changedBefore) break;
      const exec = this.runs.get(runId);
      if (!exec?.isOpen || hasWorkInFlight(exec.state)) {
        // Gone, closed or busy: its next change makes it a candidate again.
        this.changedAt.delete(runId);
        continue;
      }
      const held =
        !exec.lock.idle ||
        exec.watched ||
        this.queries.waitsOn(runId) ||
        this.firing.has(runId) ||
        this.transferring.has(runId) ||
        (nextDeadline(exec.state) ?? Infinity) <= soon;
      this.changedAt.delete(runId);
      if (held) this.changedAt.set(runId, now);
      else this.evict(exec);
    }
  }

  private evict(exec: Execution): void {
    const s = exec.state;
    exec.evicted = true;
    this.runs.delete(s.runId);
    const key = currentKey(s.namespace, s.workflowId);
    if (this.current.get(key) === s.runId) this.current.delete(key);
    for (const evictedMeanwhile of this.loads) evictedMeanwhile.add(s.runId);
  }

  private cacheClosed(exec: Execution): void {
    this.closedRuns.delete(exec.runId);
    this.closedRuns.add(exec.runId);
    if (this.closedRuns.size <= CLOSED_RUNS_CACHED) return;
    const oldest = this.closedRuns.values().next().value as string;
    this.closedRuns.delete(oldest);
    // A transfer still running keeps its own reference to the run.
    this.runs.delete(oldest);
  }

  private async onDeadline(runId: string): Promise<void> {
    this.firing.add(runId);
    try {
      const exec = this.runs.get(runId) ?? (await this.load(() => this.store.loadRun(runId)));
      if (!exec) return;
      await this.mutate(exec, (m) => handleDeadlines(m));
    } catch (err) {
      this.log.error({ err, runId }, 'deadline handling failed');
      this.timers.set(runId, this.clock.now() + 1000);
    } finally {
      this.firing.delete(runId);
      this.onIdleCheck();
    }
  }

  /** Performs the run's outbox, one transfer at a time, removing each once done. */
  private async runTransfers(exec: Execution): Promise<void> {
    if (this.transferring.has(exec.runId)) return;
    this.transferring.add(exec.runId);
    try {
      while (exec.state.outbox.length) {
        const transfer = exec.state.outbox[0];
        await performTransfer(this, exec, transfer);
        await this.mutate(exec, (m) => {
          m.state.outbox = m.state.outbox.filter((t) => JSON.stringify(t) !== JSON.stringify(transfer));
        });
      }
    } catch (err) {
      this.log.error({ err, runId: exec.runId }, 'transfer failed; retrying');
      setTimeout(() => void this.runTransfers(exec), 1000).unref();
    } finally {
      this.transferring.delete(exec.runId);
      this.onIdleCheck();
    }
  }
}

export function currentKey(namespace: string, workflowId: string): string {
  return `${namespace}\u0000${workflowId}`;
}
