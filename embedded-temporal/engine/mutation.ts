/**
 * One state change of a run, built synchronously under the run's lock and committed as one
 * write (state + new events, plus any run it starts, e.g. by continue-as-new). Tasks to hand
 * out are only offered once the write is committed.
 */
import type { Msg } from '../proto.ts';
import type { HistoryRow } from '../store/store.ts';
import type { Engine } from './engine.ts';
import { encodeEvent, type Execution } from './execution.ts';
import type { Task } from './matching.ts';
import type { BufferedEvent, RunState, Transfer } from './state.ts';

export class Mutation {
  readonly now: number;
  readonly events: HistoryRow[] = [];
  readonly tasks: { queue: string; task: Task }[] = [];
  /** Runs created by this change (continue-as-new, retry), committed with it. */
  readonly spawned: Mutation[] = [];
  /** Activity tasks started in this change, handed to the completing worker (eager execution). */
  readonly eagerActivities: Msg[] = [];
  /** Set by handlers that change nothing durable (heartbeats): no write. */
  persist = true;

  constructor(
    readonly engine: Engine,
    readonly exec: Execution,
  ) {
    this.now = engine.clock.now();
  }

  get state(): RunState {
    return this.exec.state;
  }

  /** Appends an event to the history; returns its id. */
  append(eventType: string, attrs: Msg, time = this.now, userMetadata?: Msg): number {
    const s = this.state;
    const id = s.nextEventId++;
    const data = encodeEvent(id, eventType, attrs, time, this.engine.nextTaskId(), userMetadata);
    this.exec.history!.push(data);
    s.historySizeBytes += data.length;
    this.events.push({ runId: s.runId, eventId: id, data });
    return id;
  }

  /** Appends events in order, filling references to the event just before (see BufferedEvent). */
  appendAll(events: BufferedEvent[]): void {
    let previous = 0;
    for (const e of events) {
      const attrs = e.previousIdAttr ? { ...e.attrs, [e.previousIdAttr]: previous } : e.attrs;
      previous = this.append(e.eventType, attrs);
      // A child's close event must name its Started event, whose id is only known now.
      if (e.eventType === 'CHILD_WORKFLOW_EXECUTION_STARTED') {
        const child = this.state.children[attrs.initiatedEventId];
        if (child) child.startedEventId = previous;
      }
    }
  }

  offer(queue: string, task: Task): void {
    this.tasks.push({ queue, task });
  }

  transfer(t: Transfer): void {
    this.state.outbox.push(t);
  }
}
