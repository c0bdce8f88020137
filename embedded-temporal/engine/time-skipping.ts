/**
 * Time skipping, as the SDK's test server does it: while skipping is unlocked (lock count 0, or
 * someone sleeps in the test service) and no run has work a worker should do now, the clock jumps
 * to the next deadline (a timer, a backoff, a timeout, or the end of a test's sleep). The server
 * starts locked; the SDK's test client unlocks around result() and env.sleep() (whose
 * UnlockTimeSkippingWithSleep also serves an activity that calls it).
 *
 * Never past due work: a fired timer's deadline handling, the workflow task it causes and the
 * activities that task schedules all count as busy until a worker has them and is done or waits.
 * A running activity is one more lock, as in the SDK's test server: a test's env.sleep alone does
 * not skip past it (nor over its timeout, while its result is on the way), but an activity that
 * itself calls env.sleep inside an unlocked result() cancels its own lock and time skips.
 */
import type { Engine } from './engine.ts';

/** setTimeout's delay is a signed 32-bit int; longer delays fire at once with a warning. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Sleeper {
  until: number;
  /** Wall-clock time at which `until` is reached without skipping. */
  realDeadline: number;
  timer?: NodeJS.Timeout;
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

  /** Not clamped at 0: an activity's env.sleep unlocks and re-locks inside a test's unlocked wait. */
  unlock(): void {
    this.locks--;
    this.check();
  }

  /** Resolves when server time reaches `until` (skipping there if allowed) and the work due then is done. */
  sleepUntil(until: number): Promise<void> {
    return new Promise((resolve) => {
      const now = this.engine.clock.now();
      const sleeper: Sleeper = {
        until,
        realDeadline: Date.now() + Math.max(0, until - now),
        wake: () => {
          clearTimeout(sleeper.timer);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      this.armRealTime(sleeper);
      this.check();
    });
  }

  /** In real time too, for when skipping is locked; long sleeps re-arm on the way. */
  private armRealTime(sleeper: Sleeper): void {
    const delay = Math.min(Math.max(0, sleeper.realDeadline - Date.now()) + 1, MAX_TIMEOUT_MS);
    sleeper.timer = setTimeout(() => {
      if (Date.now() < sleeper.realDeadline) this.armRealTime(sleeper);
      this.check();
    }, delay);
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

  /** Nothing due or in progress that time must wait for. */
  private get quiet(): boolean {
    if (!this.engine.isIdle) return false;
    const deadline = this.engine.timers.next();
    return deadline === undefined || deadline > this.engine.clock.now();
  }

  private advance(): void {
    const clock = this.engine.clock;
    const quiet = this.quiet;
    const now = clock.now();
    if (quiet && this.locks + this.engine.runningActivityCount <= 0) {
      const targets = [this.engine.timers.next(), ...this.sleepers.map((s) => s.until)].filter((t): t is number => t !== undefined);
      const next = Math.min(...targets);
      if (Number.isFinite(next) && next > now) {
        clock.advanceTo(next);
        this.engine.timers.rearm();
        // What fell due at the new time runs first; the sleepers that end there wake on a later check.
        this.check();
        return;
      }
    }
    const due = this.sleepers.filter((s) => s.until <= now && (quiet || Date.now() >= s.realDeadline));
    if (!due.length) return;
    this.sleepers = this.sleepers.filter((s) => !due.includes(s));
    for (const s of due) s.wake();
  }
}
