/**
 * One schedule at work: it takes the spec's actions as their times come (or, after the server
 * was down, those still inside the catch-up window), buffers them, and starts workflows as its
 * overlap policy allows; it watches the workflows it started, to start what waits, and to pause
 * when one fails and the policy says so.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine.ts';
import type { Execution } from '../engine/execution.ts';
import { requestCancel, startWorkflow, terminateRun } from '../engine/workflow-lifecycle.ts';
import { Mutex } from '../engine/mutex.ts';
import { decode, encode, ms, timestamp, type Msg } from '../proto.ts';
import { CompiledSpec, type ActionTime } from './spec.ts';

const SCHEDULE = 'temporal.api.schedule.v1.Schedule';
const MEMO = 'temporal.api.common.v1.Memo';
const SEARCH_ATTRIBUTES = 'temporal.api.common.v1.SearchAttributes';
const DEFAULT_CATCHUP_WINDOW_MS = 365 * 86_400_000;
const MIN_CATCHUP_WINDOW_MS = 10_000;
const RECENT_ACTIONS = 10;
const FUTURE_ACTIONS = 10;
/** setTimeout's limit; a later action re-arms on the way. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const FAILED = ['WORKFLOW_EXECUTION_STATUS_FAILED', 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT'];

interface Buffered extends ActionTime {
  overlap: string;
  manual: boolean;
}

interface Recent {
  scheduleTime: number;
  actualTime: number;
  workflowId: string;
  runId: string;
  status: string;
}

/** What is stored: protobuf parts as base64, the rest as is. */
export interface ScheduleDoc {
  schedule: string;
  memo?: string;
  searchAttributes?: string;
  createTime: number;
  updateTime?: number;
  conflictToken: number;
  lastProcessed: number;
  actionCount: number;
  missedCatchupWindow: number;
  overlapSkipped: number;
  bufferDropped: number;
  buffer: Buffered[];
  running: { workflowId: string; runId: string }[];
  recent: Recent[];
}

export class Schedule {
  schedule: Msg;
  spec: CompiledSpec;
  private timer: NodeJS.Timeout | undefined;
  private readonly lock = new Mutex();
  private readonly watched = new Set<string>();
  private deleted = false;

  constructor(
    private readonly engine: Engine,
    readonly namespace: string,
    readonly scheduleId: string,
    public doc: ScheduleDoc,
    private readonly persist: (doc: ScheduleDoc) => Promise<void>,
  ) {
    this.schedule = decode(SCHEDULE, Buffer.from(doc.schedule, 'base64'));
    this.spec = new CompiledSpec(this.schedule.spec ?? {});
  }

  static newDoc(schedule: Msg, memo: Msg | undefined, searchAttributes: Msg | undefined, now: number): ScheduleDoc {
    return {
      schedule: encode(SCHEDULE, schedule).toString('base64'),
      memo: memo ? encode(MEMO, memo).toString('base64') : undefined,
      searchAttributes: searchAttributes ? encode(SEARCH_ATTRIBUTES, searchAttributes).toString('base64') : undefined,
      createTime: now,
      conflictToken: 1,
      lastProcessed: now,
      actionCount: 0,
      missedCatchupWindow: 0,
      overlapSkipped: 0,
      bufferDropped: 0,
      buffer: [],
      running: [],
      recent: [],
    };
  }

  get memo(): Msg | undefined {
    return this.doc.memo ? decode(MEMO, Buffer.from(this.doc.memo, 'base64')) : undefined;
  }

  get searchAttributes(): Msg | undefined {
    return this.doc.searchAttributes ? decode(SEARCH_ATTRIBUTES, Buffer.from(this.doc.searchAttributes, 'base64')) : undefined;
  }

  get state(): Msg {
    return (this.schedule.state ??= {});
  }

  private get policies(): Msg {
    return this.schedule.policies ?? {};
  }

  /** Applies `change` under the schedule's lock, then works and saves. */
  run<T>(change: () => T | Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const result = await change();
      await this.work();
      return result;
    });
  }

  start(): void {
    for (const r of this.doc.running) this.watch(r.workflowId, r.runId);
    void this.run(() => undefined);
  }

  stop(): void {
    this.deleted = true;
    clearTimeout(this.timer);
  }

  replace(schedule: Msg, searchAttributes: Msg | undefined, memo: Msg | undefined, now: number): void {
    // The new spec applies from now on; state (paused, notes, remaining actions) comes with it.
    this.schedule = schedule;
    this.spec = new CompiledSpec(schedule.spec ?? {});
    this.doc.schedule = encode(SCHEDULE, schedule).toString('base64');
    if (searchAttributes) this.doc.searchAttributes = encode(SEARCH_ATTRIBUTES, searchAttributes).toString('base64');
    if (memo) this.doc.memo = encode(MEMO, memo).toString('base64');
    this.touch(now);
  }

  touch(now: number): void {
    this.doc.updateTime = now;
    this.doc.conflictToken++;
  }

  pause(paused: boolean, notes: string): void {
    this.state.paused = paused;
    this.state.notes = notes;
  }

  trigger(overlap: string | undefined, now: number): void {
    this.doc.buffer.push({ nominal: now, actual: now, overlap: this.overlap(overlap), manual: true });
  }

  backfill(from: number, to: number, overlap: string | undefined): void {
    // Backfills ignore the catch-up window and pause; times are [from, to] inclusive, as the real server.
    for (const a of this.spec.between(from - 1000, to, this.jitterSeed, 100_000)) this.doc.buffer.push({ ...a, overlap: this.overlap(overlap), manual: true });
  }

  private overlap(requested: string | undefined): string {
    return requested && requested !== 'SCHEDULE_OVERLAP_POLICY_UNSPECIFIED' ? requested : this.policies.overlapPolicy && this.policies.overlapPolicy !== 'SCHEDULE_OVERLAP_POLICY_UNSPECIFIED' ? this.policies.overlapPolicy : 'SCHEDULE_OVERLAP_POLICY_SKIP';
  }

  private get jitterSeed(): string {
    return `${this.namespace}/${this.scheduleId}`;
  }

  private get exhausted(): boolean {
    return Boolean(this.state.limitedActions) && Number(this.state.remainingActions ?? 0) <= 0;
  }

  /** The next actions (nominal and actual times) after `after`, none once the actions are used up. */
  futureActions(after: number, count = FUTURE_ACTIONS): ActionTime[] {
    const out: ActionTime[] = [];
    const limit = this.state.limitedActions ? Math.min(count, Number(this.state.remainingActions ?? 0)) : count;
    for (let a = this.spec.next(after, this.jitterSeed); a && out.length < limit; a = this.spec.next(a.nominal, this.jitterSeed)) out.push(a);
    return out;
  }

  matchingTimes(from: number, to: number): number[] {
    return this.spec.between(from, to, this.jitterSeed).map((a) => a.actual);
  }

  /** The actions due since the last look, the buffer, and the next wake-up; then saves. */
  private async work(): Promise<void> {
    if (this.deleted) return;
    const now = this.engine.clock.now();
    this.takeDueActions(now);
    await this.refreshRunning();
    await this.processBuffer(now);
    await this.persist(this.doc);
    this.arm(now);
  }

  private takeDueActions(now: number): void {
    const catchup = Math.max(MIN_CATCHUP_WINDOW_MS, ms(this.policies.catchupWindow) || DEFAULT_CATCHUP_WINDOW_MS);
    if (!this.state.paused) {
      for (const a of this.spec.between(this.doc.lastProcessed, now, this.jitterSeed)) {
        if (now - a.actual > catchup) this.doc.missedCatchupWindow++;
        else this.doc.buffer.push({ ...a, overlap: this.overlap(undefined), manual: false });
      }
    }
    this.doc.lastProcessed = Math.max(this.doc.lastProcessed, now);
  }

  /** Drops closed workflows from `running`; a failed one pauses the schedule when the policy says so. */
  private async refreshRunning(): Promise<void> {
    const still: ScheduleDoc['running'] = [];
    for (const r of this.doc.running) {
      const exec = await this.find(r);
      const status = exec?.state.status ?? 'WORKFLOW_EXECUTION_STATUS_COMPLETED';
      if (exec?.isOpen) {
        still.push(r);
        continue;
      }
      const recent = this.doc.recent.find((x) => x.runId === r.runId);
      if (recent) recent.status = status;
      if (this.policies.pauseOnFailure && FAILED.includes(status)) this.pause(true, `paused due to workflow failure: ${r.workflowId}: ${status.replace('WORKFLOW_EXECUTION_STATUS_', '').toLowerCase().replace('_', ' ')}`);
    }
    this.doc.running = still;
  }

  private find(r: { workflowId: string; runId: string }): Promise<Execution | undefined> {
    return this.engine.find(this.namespace, r.workflowId, r.runId).catch(() => undefined);
  }

  private async processBuffer(now: number): Promise<void> {
    const waiting: Buffered[] = [];
    for (const item of this.doc.buffer) {
      if (!item.manual && (this.state.paused || this.exhausted)) continue;
      const busy = this.doc.running.length > 0 || waiting.length > 0;
      switch (busy ? item.overlap : 'SCHEDULE_OVERLAP_POLICY_ALLOW_ALL') {
        case 'SCHEDULE_OVERLAP_POLICY_ALLOW_ALL':
          await this.startAction(item, now);
          break;
        case 'SCHEDULE_OVERLAP_POLICY_BUFFER_ONE':
          if (waiting.length) this.doc.bufferDropped++;
          else waiting.push(item);
          break;
        case 'SCHEDULE_OVERLAP_POLICY_BUFFER_ALL':
          waiting.push(item);
          break;
        case 'SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER':
        case 'SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER':
          // The others end first; this one waits for them (and replaces an earlier waiting one).
          await this.endRunning(item.overlap === 'SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER');
          if (waiting.length) this.doc.bufferDropped += waiting.length;
          waiting.length = 0;
          if (this.doc.running.length) waiting.push(item);
          else await this.startAction(item, now);
          break;
        default:
          this.doc.overlapSkipped++;
      }
    }
    this.doc.buffer = waiting;
  }

  private async endRunning(cancel: boolean): Promise<void> {
    for (const r of this.doc.running) {
      const exec = await this.find(r);
      if (!exec?.isOpen) continue;
      const req = { namespace: this.namespace, identity: 'temporal-scheduler', reason: `terminated by schedule ${this.scheduleId} (overlap policy)` };
      await (cancel ? requestCancel(this.engine, exec, { ...req, requestId: randomUUID() }) : terminateRun(this.engine, exec, req)).catch(() => undefined);
    }
    await this.refreshRunning();
  }

  private async startAction(item: Buffered, now: number): Promise<void> {
    const action = this.schedule.action?.startWorkflow;
    if (!action) return;
    const nominalSeconds = Math.floor(item.nominal / 1000) * 1000;
    const workflowId = this.policies.keepOriginalWorkflowId ? action.workflowId : `${action.workflowId}-${new Date(nominalSeconds).toISOString().replace('.000Z', 'Z')}`;
    const indexedFields = {
      ...(action.searchAttributes?.indexedFields ?? {}),
      TemporalScheduledById: keyword(this.scheduleId),
      TemporalScheduledStartTime: datetime(nominalSeconds),
    };
    const req: Msg = {
      ...action,
      namespace: this.namespace,
      workflowId,
      requestId: randomUUID(),
      identity: 'temporal-scheduler',
      searchAttributes: { indexedFields },
      workflowIdReusePolicy: 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE',
    };
    try {
      const { exec } = await startWorkflow(this.engine, req);
      this.doc.running.push({ workflowId, runId: exec.runId });
      this.doc.recent.push({ scheduleTime: item.nominal, actualTime: now, workflowId, runId: exec.runId, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' });
      this.doc.recent = this.doc.recent.slice(-RECENT_ACTIONS);
      this.doc.actionCount++;
      if (this.state.limitedActions && !item.manual) this.state.remainingActions = Math.max(0, Number(this.state.remainingActions ?? 0) - 1);
      this.watch(workflowId, exec.runId);
    } catch (err) {
      // Same id started this second already (two triggers at once): one run, as on the real server.
      this.engine.log.warn({ err, scheduleId: this.scheduleId, workflowId }, 'schedule could not start its workflow');
    }
    if (this.state.limitedActions) this.doc.schedule = encode(SCHEDULE, this.schedule).toString('base64');
  }

  /** Works again when a started workflow closes. */
  private watch(workflowId: string, runId: string): void {
    if (this.watched.has(runId)) return;
    this.watched.add(runId);
    void (async () => {
      const exec = await this.find({ workflowId, runId });
      while (exec?.isOpen && !this.deleted) await exec.waitForChange(60_000);
      this.watched.delete(runId);
      if (!this.deleted) await this.run(() => undefined);
    })();
  }

  private arm(now: number): void {
    clearTimeout(this.timer);
    const next = this.state.paused || this.exhausted ? undefined : this.spec.next(this.doc.lastProcessed, this.jitterSeed);
    if (!next) return;
    this.timer = setTimeout(() => void this.run(() => undefined), Math.min(MAX_TIMEOUT_MS, Math.max(0, next.actual - now)));
    this.timer.unref();
  }

  describeInfo(now: number): Msg {
    return {
      actionCount: this.doc.actionCount,
      missedCatchupWindow: this.doc.missedCatchupWindow,
      overlapSkipped: this.doc.overlapSkipped,
      bufferDropped: this.doc.bufferDropped,
      bufferSize: this.doc.buffer.length,
      runningWorkflows: this.doc.running.map((r) => ({ workflowId: r.workflowId, runId: r.runId })),
      recentActions: this.recentActions(),
      futureActionTimes: this.futureActions(now).map((a) => timestamp(a.actual)),
      createTime: timestamp(this.doc.createTime),
      updateTime: this.doc.updateTime ? timestamp(this.doc.updateTime) : undefined,
    };
  }

  recentActions(): Msg[] {
    return this.doc.recent.map((r) => ({
      scheduleTime: timestamp(r.scheduleTime),
      actualTime: timestamp(r.actualTime),
      startWorkflowResult: { workflowId: r.workflowId, runId: r.runId },
      startWorkflowStatus: r.status,
    }));
  }
}

function keyword(value: string): Msg {
  return { metadata: { encoding: Buffer.from('json/plain'), type: Buffer.from('Keyword') }, data: Buffer.from(JSON.stringify(value)) };
}

function datetime(epochMs: number): Msg {
  return { metadata: { encoding: Buffer.from('json/plain'), type: Buffer.from('Datetime') }, data: Buffer.from(JSON.stringify(new Date(epochMs).toISOString())) };
}
