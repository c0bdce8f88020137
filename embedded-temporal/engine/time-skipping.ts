/**
 * Time skipping, as the Java test server does it: while skipping is unlocked (lock count 0) and
 * no run has work a worker should do now, the clock jumps to the next deadline (a timer, a
 * backoff, a timeout, or the end of a test's sleep). The server starts locked; the SDK's test
 * client unlocks around result() and env.sleep().
 */
import type { Engine } from './engine.ts';

interface Sleeper {
  until: number;
  wake: () => void;
}

export class TimeSkipper {
  private locks = 1;
  private sleepers: Sleeper[] = [];
  private pending = false;

  constructor(private readonly engine: Engine) {
    engine.onIdleCheck = () => this.check();
  }

  lock(): void {
    this.locks++;
  }

  unlock(): void {
    this.locks = Math.max(0, this.locks - 1);
    this.check();
  }

  /** Resolves when server time reaches `until` (skipping there if allowed). */
  sleepUntil(until: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        until,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      // In real time too, for when skipping is locked.
      const timer = setTimeout(() => this.check(), Math.max(0, until - this.engine.clock.now()) + 1);
      this.sleepers.push(sleeper);
      this.check();
    });
  }

  /** Debounced: state changes come in bursts. */
  private check(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.advance();
    });
  }

  private advance(): void {
    const clock = this.engine.clock;
    if (this.locks === 0 && this.engine.isIdle) {
      const targets = [this.engine.timers.next(), ...this.sleepers.map((s) => s.until)].filter((t): t is number => t !== undefined);
      const next = Math.min(...targets);
      if (Number.isFinite(next) && next > clock.now()) {
        clock.advanceTo(next);
        this.engine.timers.rearm();
      }
    }
    const now = clock.now();
    const due = this.sleepers.filter((s) => s.until <= now);
    this.sleepers = this.sleepers.filter((s) => s.until > now);
    for (const s of due) s.wake();
  }
}
