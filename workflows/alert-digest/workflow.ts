import { continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { AlertDigestActivities } from '../../activities/stores/types.ts';
import { DIGEST_TICK_MS } from '../../domain/stores/alert-digest-clock.ts';
import { alertDigestStatusQuery, type AlertDigestInput } from './definitions.ts';

const { sendAlertDigests } = proxyActivities<AlertDigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** A day of quarter hours. */
const DEFAULT_CONTINUE_AS_NEW_AFTER = 96;
/** A worker down longer than this skips the older digests: yesterday's news is no digest. */
const CATCH_UP_TICKS = 8;

const quarterFloor = (ms: number) => Math.floor(ms / DIGEST_TICK_MS) * DIGEST_TICK_MS;

/**
 * `alert-digest`: lives as long as the app. Wakes on every quarter hour (UTC; every zone's hour
 * starts on one) and hands the instant to sendAlertDigests, which mails those whose digest hour
 * begins then. Quarters missed while no worker ran are caught up, a couple of hours at most; every
 * day it continues as new, carrying the last quarter it handled.
 */
export async function alertDigestWorkflow(input: AlertDigestInput = {}): Promise<void> {
  let lastTick = input.lastTickAt ? Date.parse(input.lastTickAt) : quarterFloor(Date.now());
  let ticks = 0;
  let sent = 0;
  setHandler(alertDigestStatusQuery, () => ({ lastTickAt: new Date(lastTick).toISOString(), ticksThisRun: ticks, digestsSentThisRun: sent }));

  while (ticks < (input.continueAsNewAfter ?? DEFAULT_CONTINUE_AS_NEW_AFTER)) {
    const next = lastTick + DIGEST_TICK_MS;
    if (next > Date.now()) await sleep(next - Date.now());
    const due = quarterFloor(Date.now());
    for (let tick = Math.max(next, due - (CATCH_UP_TICKS - 1) * DIGEST_TICK_MS); tick <= due; tick += DIGEST_TICK_MS) {
      sent += (await sendAlertDigests({ at: new Date(tick).toISOString() })).sent;
      lastTick = tick;
      ticks += 1;
    }
  }
  await continueAsNew<typeof alertDigestWorkflow>({ lastTickAt: new Date(lastTick).toISOString(), continueAsNewAfter: input.continueAsNewAfter });
}
