/**
 * A token bucket per socket: a client may send `burst` messages at once and `perSecond` on average.
 * Each message can cost a database query (an access check, a backlog read), so a flooding socket
 * must not be able to turn into a load on PostgreSQL.
 */
export class MessageBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Spends one message; false when the socket is over its budget. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
