import type { AppContext } from './context.ts';
import { pruneExecutionHistory } from '../db/repositories/execution-retention.ts';

/** Often enough that a day's history goes within the hour it expires; each run is a few indexed deletes. */
const EVERY_MS = 15 * 60_000;

/**
 * Prunes job executions past their plan's history (pruneExecutionHistory) every EVERY_MS, the first
 * time EVERY_MS after start (a process restarted in a loop does not prune in a loop; a short-lived
 * one, a test's, not at all). The realtime announcements of those executions are pruned by the relay already
 * (db/realtime/prune.ts keeps a day at most, less than any plan keeps). Returns the stop.
 */
export function startHistoryRetention(ctx: AppContext): () => void {
  const run = () =>
    void pruneExecutionHistory(ctx.db).then(
      (deleted) => deleted > 0 && ctx.log.info({ deleted }, 'pruned job executions past their plan\'s history'),
      (error: Error) => ctx.log.warn({ err: error.message }, 'could not prune job executions'),
    );
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
