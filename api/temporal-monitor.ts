/** What the process believes of the Temporal frontend, kept current by a probe in the background. */
export interface Reachability {
  /** False from when the frontend stops answering until a probe sees it answer again. */
  reachable(): boolean;
  /** A call found the frontend gone: believe it down until the next probe says otherwise. */
  markUnreachable(): void;
  /** Runs `listener` each time the frontend answers again after an outage; answers a function that stops it. */
  onRecovered(listener: () => void): () => void;
  stop(): void;
}

export interface ProbeTiming {
  /** How often the frontend is asked. */
  everyMs: number;
  /** How long one probe may take before it counts as "down". */
  deadlineMs: number;
}

/**
 * A frontend that stops answering is known down within everyMs + deadlineMs (1.5 s by default), and
 * back within everyMs of answering again: routes then fail fast instead of each waiting out the
 * SDK's ten seconds of retries, and whoever waits for the recovery hears of it at once. One probe
 * at a time; the timer does not keep the process alive.
 */
export function watchReachability(probe: (deadlineMs: number) => Promise<boolean>, { everyMs, deadlineMs }: ProbeTiming = { everyMs: 500, deadlineMs: 1_000 }): Reachability {
  let reachable = true;
  let probing = false;
  let stopped = false;
  const listeners = new Set<() => void>();

  const tick = async () => {
    if (probing) return;
    probing = true;
    const answered = await probe(deadlineMs).catch(() => false);
    probing = false;
    if (stopped) return;
    const recovered = answered && !reachable;
    reachable = answered;
    if (recovered) for (const listener of [...listeners]) listener();
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();

  return {
    reachable: () => reachable,
    markUnreachable: () => {
      reachable = false;
    },
    onRecovered(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      listeners.clear();
    },
  };
}
