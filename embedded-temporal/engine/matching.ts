/**
 * Task matching, in memory: per task queue, a FIFO of tasks and a FIFO of waiting long polls.
 * Tasks are references (run + task identity); the poller validates them against the run's
 * state when it takes one, so a task made stale by a timeout or a close is simply skipped.
 * After a restart, queues are rebuilt from the runs' persisted state.
 */
export type Task =
  | { kind: 'workflow'; runId: string; nonce: number }
  | { kind: 'query'; runId: string; queryId: string }
  | { kind: 'activity'; runId: string; scheduledEventId: number; attempt: number }
  | { kind: 'nexus'; runId: string; scheduledEventId: number; attempt: number; cancel: boolean };

interface Poller {
  identity: string;
  deliver: (task: Task | null) => void;
}

class Queue {
  tasks: Task[] = [];
  head = 0;
  pollers: Poller[] = [];

  shift(): Task | undefined {
    if (this.head >= this.tasks.length) return undefined;
    const task = this.tasks[this.head++];
    if (this.head > 1024 && this.head * 2 > this.tasks.length) {
      this.tasks = this.tasks.slice(this.head);
      this.head = 0;
    }
    return task;
  }

  get size(): number {
    return this.tasks.length - this.head;
  }
}

export class Matching {
  private queues = new Map<string, Queue>();
  /** When a poll last waited on each queue (real time: polls are real calls, whatever the clock). */
  private lastPolled = new Map<string, number>();
  /** Queues polled before a restart are taken as polled at it: their workers poll again within moments. */
  private readonly startedAt = Date.now();

  static key(namespace: string, kind: 'workflow' | 'activity' | 'nexus', taskQueue: string): string {
    return `${namespace}\u0000${kind}\u0000${taskQueue}`;
  }

  private queue(key: string): Queue {
    let q = this.queues.get(key);
    if (!q) {
      q = new Queue();
      this.queues.set(key, q);
    }
    return q;
  }

  offer(key: string, task: Task): void {
    const q = this.queue(key);
    const poller = q.pollers.shift();
    if (poller) poller.deliver(task);
    else q.tasks.push(task);
  }

  /** Puts a task back at the head: its poller went away before it could be handed out. */
  requeue(key: string, task: Task): void {
    const q = this.queue(key);
    const poller = q.pollers.shift();
    if (poller) poller.deliver(task);
    else if (q.head > 0) q.tasks[--q.head] = task;
    else q.tasks.unshift(task);
  }

  /**
   * Whether a worker polls the queue: one waits on it now, or did within `withinMs`. As the real
   * server's matching, which refuses a sticky task when no poller came in its last 10 s: a worker
   * that was killed (no ShutdownWorker call) loses its cached runs' tasks at once, not after each
   * one's sticky timeout.
   */
  hasPoller(key: string, withinMs: number): boolean {
    if ((this.queues.get(key)?.pollers.length ?? 0) > 0) return true;
    return (this.lastPolled.get(key) ?? this.startedAt) >= Date.now() - withinMs;
  }

  /** Resolves with a task, or null when the wait ends (timeout, cancel, worker shutdown). */
  poll(key: string, identity: string, signal: AbortSignal, waitMs: number): Promise<Task | null> {
    const q = this.queue(key);
    this.lastPolled.set(key, Date.now());
    const ready = q.shift();
    if (ready) return Promise.resolve(ready);
    if (signal.aborted || waitMs <= 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      const finish = (task: Task | null) => {
        this.lastPolled.set(key, Date.now());
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(task);
      };
      const poller: Poller = { identity, deliver: finish };
      const leave = () => {
        const i = q.pollers.indexOf(poller);
        if (i >= 0) q.pollers.splice(i, 1);
        finish(null);
      };
      const onAbort = () => leave();
      const timer = setTimeout(leave, waitMs);
      signal.addEventListener('abort', onAbort);
      q.pollers.push(poller);
    });
  }

  /** Ends the waiting polls of a worker that is shutting down, on all its queues. */
  releasePollers(identity: string): void {
    for (const q of this.queues.values()) {
      const leaving = q.pollers.filter((p) => p.identity === identity);
      q.pollers = q.pollers.filter((p) => p.identity !== identity);
      for (const p of leaving) p.deliver(null);
    }
  }

  /** Takes every queued task out of a queue (a sticky queue whose worker left). */
  drain(key: string): Task[] {
    const q = this.queues.get(key);
    if (!q) return [];
    this.queues.delete(key);
    this.lastPolled.delete(key);
    for (const p of q.pollers) p.deliver(null);
    return q.tasks.slice(q.head);
  }

  /** Ends every waiting poll (server shutdown). */
  releaseAll(): void {
    for (const q of this.queues.values()) {
      const leaving = q.pollers;
      q.pollers = [];
      for (const p of leaving) p.deliver(null);
    }
  }

  backlog(key: string): number {
    return this.queues.get(key)?.size ?? 0;
  }
}
