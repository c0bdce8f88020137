import type { Logger } from 'pino';
import type { AppContext } from './context.ts';
import { ensureJobActors } from './routes/jobs/actors.ts';
import { signalStoreEvents } from './routes/webhooks/store-signaller.ts';
import { unappliedEventsByStore } from '../db/repositories/stores-events.ts';
import { ensureAlertDigestActor } from './alert-digest-actor.ts';

/** Ids per signal: a store that gathered many during an outage gets them in a few signals of bounded size. */
const IDS_PER_SIGNAL = 1_000;

export interface RecoverySweep {
  /** Stores whose waiting events were handed to their actors. */
  stores: number;
  events: number;
  /** Enabled cron jobs whose actors were checked (and started where missing). */
  jobs: number;
  /** The alert digest actor was missing and is started. */
  digestStarted: boolean;
}

/**
 * Puts right what a workflow-service outage (or a process that was down) left behind: every store
 * with received but unapplied webhook events hands them to its actor by signal-with-start, and
 * every enabled cron job's actor is started if it is missing and told the job's definition. It is
 * idempotent: an actor applies only events still waiting (an id it holds or applied changes
 * nothing) and keeps the newest definition; the alert digest actor is started if it is missing.
 * Several API processes that see the same recovery sweep one after the other (an advisory lock),
 * not at once; a later one is not skipped, since events this process kept while it still believed
 * the service down may have come after the earlier sweep looked.
 */
export async function recoverActors(ctx: Pick<AppContext, 'db' | 'temporal'>): Promise<RecoverySweep> {
  const temporal = ctx.temporal;
  if (!temporal) throw new Error('recoverActors needs a Temporal connection');
  return ctx.db.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(hashtext('pulseboard:actor-recovery'))");
    const waiting = await unappliedEventsByStore(ctx.db);
    for (const { storeId, eventIds } of waiting) {
      for (let at = 0; at < eventIds.length; at += IDS_PER_SIGNAL) await signalStoreEvents(temporal, storeId, eventIds.slice(at, at + IDS_PER_SIGNAL));
    }
    const jobs = await ensureJobActors(ctx);
    const digestStarted = await ensureAlertDigestActor(temporal);
    return { stores: waiting.length, events: waiting.reduce((sum, store) => sum + store.eventIds.length, 0), jobs, digestStarted };
  });
}

/**
 * Sweeps each time the workflow service answers again after an outage this process saw, and at
 * once when `sweepNow`. One sweep at a time; a recovery during one brings another after it. A
 * sweep that fails (the service went again) is logged, and the next recovery sweeps again.
 * Answers a function that stops watching.
 */
export function watchActorRecovery(ctx: Pick<AppContext, 'db' | 'temporal'>, log: Logger, { sweepNow = false } = {}): () => void {
  const temporal = ctx.temporal;
  if (!temporal) return () => {};
  let running: Promise<void> | null = null;
  let again = false;
  const sweep = async (): Promise<void> => {
    do {
      again = false;
      try {
        log.info(await recoverActors(ctx), 'waiting store events handed to their actors, cron actors checked');
      } catch (error) {
        // Gone again: its next answer is another recovery, and so another sweep.
        temporal.noteFailure(error);
        log.warn({ err: error }, 'sweep of waiting store events and cron actors failed; the next recovery of the workflow service sweeps again');
      }
    } while (again);
  };
  const start = () => {
    if (running) return void (again = true);
    running = sweep().finally(() => {
      running = null;
    });
  };
  if (sweepNow) start();
  return temporal.onRecovered(start);
}
