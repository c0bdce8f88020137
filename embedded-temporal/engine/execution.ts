/**
 * A run in memory: its state, its history (encoded events, loaded lazily), a lock that orders
 * its changes, and the waiters woken after each committed change (history long polls, update
 * waits).
 */
import type protobuf from 'protobufjs';
import { asBuffer, encode, enumNumber, HISTORY_EVENT, timestamp, type, Writer, type Msg } from '../proto.ts';
import type { ExecutionRow, HistoryRow } from '../store/store.ts';
import { hasWorkInFlight, nextDeadline } from './deadlines.ts';
import { Mutex } from './mutex.ts';
import { RUNNING, type RunState } from './state.ts';

export class Execution {
  readonly lock = new Mutex();
  /** Encoded HistoryEvents; index = eventId - 1. Null until loaded from the store. */
  history: Buffer[] | null;
  /** JSON of the last committed state, to roll back a change that throws. */
  committedJson = '';
  /** Events of a change whose write was deferred (a workflow task's start): the next write has them. */
  unwritten: HistoryRow[] = [];
  /** Left memory (see Engine.evictIdleRuns): a holder of this object must get the run again. */
  evicted = false;
  private waiters = new Set<() => void>();

  constructor(
    public state: RunState,
    history: Buffer[] | null,
  ) {
    this.history = history;
  }

  get runId(): string {
    return this.state.runId;
  }

  get isOpen(): boolean {
    return this.state.status === RUNNING;
  }

  /** Resolves after the next committed change of this run, or after `ms`, or on abort. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  }

  /** Someone waits for this object's next change (a long poll, an update, a schedule). */
  get watched(): boolean {
    return this.waiters.size > 0;
  }

  notifyChanged(): void {
    for (const w of [...this.waiters]) w();
  }

  toRow(): ExecutionRow {
    const s = this.state;
    return {
      runId: s.runId,
      namespace: s.namespace,
      workflowId: s.workflowId,
      workflowType: s.workflowType,
      taskQueue: s.taskQueue,
      status: enumNumber('temporal.api.enums.v1.WorkflowExecutionStatus', s.status),
      startTime: s.startTime,
      executionTime: s.executionTime,
      closeTime: s.closeTime ?? null,
      historyLength: s.nextEventId - 1,
      memo: s.memo ? encode('temporal.api.common.v1.Memo', s.memo) : null,
      searchAttributes: s.searchAttributes ? encode('temporal.api.common.v1.SearchAttributes', s.searchAttributes) : null,
      parentWorkflowId: s.parent?.workflowId ?? null,
      parentRunId: s.parent?.runId ?? null,
      state: serializeState(s),
      wakeAt: nextDeadline(s) ?? null,
      resident: hasWorkInFlight(s),
    };
  }
}

/** JSON with Buffers (payload data) as base64. */
export function serializeState(state: RunState): string {
  return JSON.stringify(state, (_key, value) =>
    value && value.type === 'Buffer' && Array.isArray(value.data) ? { $b: Buffer.from(value.data).toString('base64') } : value,
  );
}

export function parseState(json: string): RunState {
  return JSON.parse(json, (_key, value) =>
    value && typeof value === 'object' && typeof value.$b === 'string' && Object.keys(value).length === 1
      ? Buffer.from(value.$b, 'base64')
      : value,
  ) as RunState;
}

/** 'TIMER_STARTED' -> 'timerStartedEventAttributes' */
export function attributesKey(eventType: string): string {
  const words = eventType.replace(/^EVENT_TYPE_/, '').toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('') + 'EventAttributes';
}

/** What encoding an event of one type needs: its EventType number, its attributes' field tag and type. */
interface EventEncoding {
  eventType: number;
  attributesTag: number;
  attributes: protobuf.Type;
}

const eventEncodings = new Map<string, EventEncoding>();
const USER_METADATA = type('temporal.api.sdk.v1.UserMetadata');

function eventEncoding(eventType: string): EventEncoding {
  let encoding = eventEncodings.get(eventType);
  if (!encoding) {
    const full = eventType.startsWith('EVENT_TYPE_') ? eventType : `EVENT_TYPE_${eventType}`;
    const field = type(HISTORY_EVENT).fields[attributesKey(full)];
    encoding = {
      eventType: enumNumber('temporal.api.enums.v1.EventType', full),
      attributesTag: ((field.id << 3) | 2) >>> 0,
      attributes: type(field.type),
    };
    eventEncodings.set(eventType, encoding);
  }
  return encoding;
}

/**
 * Encodes an event; `eventType` with or without its EVENT_TYPE_ prefix. `userMetadata`: the summary and details the UI shows.
 * Written field by field, in field-number order as protobufjs writes them (the same bytes): the generic
 * HistoryEvent encoder checks each of its ~60 attribute fields twice per event, most of an event's cost.
 */
export function encodeEvent(eventId: number, eventType: string, attrs: Msg, timeMs: number, taskId: number, userMetadata?: Msg): Buffer {
  const encoding = eventEncoding(eventType);
  const time = timestamp(timeMs);
  const w = Writer.create();
  // proto3 scalars: a zero is not written.
  if (eventId) w.uint32(8).int64(eventId);
  w.uint32(18).fork();
  if (time.seconds) w.uint32(8).int64(time.seconds);
  if (time.nanos) w.uint32(16).int32(time.nanos);
  w.ldelim();
  w.uint32(24).int32(encoding.eventType);
  if (taskId) w.uint32(40).int64(taskId);
  if (attrs) encoding.attributes.encode(encoding.attributes.fromObject(attrs), w.uint32(encoding.attributesTag).fork()).ldelim();
  if (userMetadata) USER_METADATA.encode(USER_METADATA.fromObject(userMetadata), w.uint32(((301 << 3) | 2) >>> 0).fork()).ldelim();
  return asBuffer(w.finish());
}
