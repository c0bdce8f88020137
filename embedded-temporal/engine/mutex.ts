/** A FIFO async lock: one state change of a run (or of a workflow id) at a time. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Nobody holds the lock or waits for it. */
  get idle(): boolean {
    return this.queued === 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(fn).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
