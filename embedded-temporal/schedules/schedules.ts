/** The server's schedules, by namespace and id: loaded on start, each running on its own. */
import { status } from '@grpc/grpc-js';
import type { Engine } from '../engine/engine.ts';
import { searchAttributesProblem } from '../engine/search-attributes.ts';
import { failedPrecondition, invalidArgument, notFound, RpcError } from '../grpc/errors.ts';
import type { Msg } from '../proto.ts';
import { Schedule, type ScheduleDoc } from './schedule.ts';
import { canonicalSpec } from './spec.ts';
import type { ScheduleStore } from './schedule-store.ts';

const key = (namespace: string, scheduleId: string) => `${namespace}\u0000${scheduleId}`;

export class Schedules {
  private readonly all = new Map<string, Schedule>();

  constructor(
    readonly engine: Engine,
    private readonly store: ScheduleStore,
  ) {}

  async init(): Promise<void> {
    for (const row of await this.store.loadAll()) this.add(row.namespace, row.scheduleId, row.doc as ScheduleDoc).start();
  }

  stop(): void {
    for (const s of this.all.values()) s.stop();
  }

  private add(namespace: string, scheduleId: string, doc: ScheduleDoc): Schedule {
    const s = new Schedule(this.engine, namespace, scheduleId, doc, (d) => this.store.save(namespace, scheduleId, d));
    this.all.set(key(namespace, scheduleId), s);
    return s;
  }

  get(namespace: string, scheduleId: string): Schedule {
    this.engine.requireNamespace(namespace);
    const s = this.all.get(key(namespace, scheduleId ?? ''));
    if (!s) throw notFound('schedule not found');
    return s;
  }

  list(namespace: string): Schedule[] {
    this.engine.requireNamespace(namespace);
    return [...this.all.values()].filter((s) => s.namespace === namespace).sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
  }

  async create(req: Msg): Promise<Schedule> {
    this.engine.requireNamespace(req.namespace);
    if (!req.scheduleId) throw invalidArgument('ScheduleId is not set on request.');
    const schedule = validSchedule(req.schedule);
    this.checkSearchAttributes(req);
    const doc = Schedule.newDoc(schedule, req.memo, req.searchAttributes, this.engine.clock.now());
    if (this.all.has(key(req.namespace, req.scheduleId)) || !(await this.store.insert(req.namespace, req.scheduleId, doc))) {
      throw new RpcError(status.ALREADY_EXISTS, 'schedule with this ID is already registered', {
        typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
        value: { startRequestId: req.requestId ?? '', runId: '' },
      });
    }
    const s = this.add(req.namespace, req.scheduleId, doc);
    await s.run(() => {
      if (req.initialPatch) applyPatch(s, req.initialPatch, this.engine.clock.now());
    });
    s.start();
    return s;
  }

  async update(req: Msg): Promise<void> {
    const s = this.get(req.namespace, req.scheduleId);
    const schedule = validSchedule(req.schedule);
    this.checkSearchAttributes(req);
    await s.run(() => {
      if (req.conflictToken?.length && Number(Buffer.from(req.conflictToken).readBigInt64BE()) !== s.doc.conflictToken) {
        throw failedPrecondition('mismatched conflict token');
      }
      s.replace(schedule, req.searchAttributes, req.memo, this.engine.clock.now());
    });
  }

  /** The schedule's own attributes and its workflows' must be registered, as on the real server. */
  private checkSearchAttributes(req: Msg): void {
    const types = this.engine.searchAttributes.types(req.namespace);
    const problem = searchAttributesProblem(req.searchAttributes, types) ?? searchAttributesProblem(req.schedule?.action?.startWorkflow?.searchAttributes, types);
    if (problem) throw invalidArgument(problem);
  }

  async patch(req: Msg): Promise<void> {
    const s = this.get(req.namespace, req.scheduleId);
    await s.run(() => applyPatch(s, req.patch ?? {}, this.engine.clock.now()));
  }

  async delete(req: Msg): Promise<void> {
    const s = this.get(req.namespace, req.scheduleId);
    s.stop();
    this.all.delete(key(req.namespace, req.scheduleId));
    await this.store.delete(req.namespace, req.scheduleId);
  }
}

export function conflictToken(s: Schedule): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(s.doc.conflictToken));
  return b;
}

function validSchedule(schedule: Msg | undefined): Msg {
  if (!schedule?.action?.startWorkflow) throw invalidArgument('Schedule action is required.');
  const start = schedule.action.startWorkflow;
  if (!start.workflowId) throw invalidArgument('WorkflowId is not set on the schedule action.');
  if (!start.workflowType?.name) throw invalidArgument('WorkflowType is not set on the schedule action.');
  if (!start.taskQueue?.name) throw invalidArgument('TaskQueue is not set on the schedule action.');
  return { ...schedule, spec: canonicalSpec(schedule.spec) };
}

function applyPatch(s: Schedule, patch: Msg, now: number): void {
  if (patch.pause) s.pause(true, patch.pause);
  if (patch.unpause) s.pause(false, patch.unpause);
  if (patch.triggerImmediately) s.trigger(patch.triggerImmediately.overlapPolicy, now);
  for (const b of patch.backfillRequest ?? []) {
    const from = Number(b.startTime?.seconds ?? 0) * 1000;
    const to = Number(b.endTime?.seconds ?? 0) * 1000;
    if (to < from) throw invalidArgument('Backfill end time is before its start time.');
    s.backfill(from, to, b.overlapPolicy);
  }
  if (patch.pause || patch.unpause) s.touch(now);
}
