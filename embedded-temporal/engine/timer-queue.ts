/**
 * Deadlines by key, on the server clock. Each run has at most one entry: its earliest deadline
 * (timer, activity timeout, workflow task timeout, retry backoff...). One setTimeout serves the
 * whole queue. The time-skipping service reads `next()` to know where to jump.
 */
import type { Clock } from './clock.ts';

interface Entry {
  key: string;
  at: number;
}

export class TimerQueue {
  private heap: Entry[] = [];
  private current = new Map<string, Entry>();
  private handle: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: string) => void,
  ) {}

  set(key: string, at: number | undefined): void {
    const existing = this.current.get(key);
    if (existing && existing.at === at) return;
    if (at === undefined) {
      this.current.delete(key);
      return;
    }
    const entry = { key, at };
    this.current.set(key, entry);
    this.push(entry);
    if (at < this.armedFor) this.arm();
  }

  /** Earliest live deadline, if any. */
  next(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Re-arms after the clock jumped. */
  rearm(): void {
    this.arm();
  }

  stop(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
    this.armedFor = -Infinity; // never arm again
  }

  private arm(): void {
    if (this.armedFor === -Infinity) return;
    clearTimeout(this.handle);
    const at = this.next();
    this.armedFor = at ?? Infinity;
    if (at === undefined) return;
    // setTimeout's delay is a 32-bit int: far deadlines re-arm on the way.
    const delay = Math.min(Math.max(0, at - this.clock.now()), 2 ** 31 - 1);
    this.handle = setTimeout(() => this.fire(), delay);
    this.handle.unref?.();
  }

  private fire(): void {
    const now = this.clock.now();
    const due: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) break;
      this.pop();
      this.current.delete(top.key);
      due.push(top.key);
    }
    this.arm();
    for (const key of due) this.onDue(key);
  }

  private dropStale(): void {
    while (this.heap.length && this.current.get(this.heap[0].key) !== this.heap[0]) this.pop();
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].at <= h[i].at) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].at < h[m].at) m = l;
      if (r < h.length && h[r].at < h[m].at) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
