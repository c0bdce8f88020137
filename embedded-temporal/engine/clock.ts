/**
 * Server time. Normally the wall clock; in time-skipping mode an offset lets the test server
 * jump ahead to the next deadline when nothing is running.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advanceTo(epochMs: number): void {
    const now = this.now();
    if (epochMs > now) this.offsetMs += epochMs - now;
  }
}
