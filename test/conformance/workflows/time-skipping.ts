/** Workflows of the time-skipping conformance tests: activities that sleep, timers that start activities. */
import { proxyActivities, sleep } from '@temporalio/workflow';

/** Implemented in the test itself (they call the test environment's sleep or count runs). */
export interface TimeSkippingActivities {
  sleepsInTestTime(duration: string): Promise<string>;
  recordRun(key: string): Promise<void>;
  /** Counts the run, then takes half a second of real time to answer. */
  recordRunSlowly(key: string): Promise<void>;
}

// Long timeouts: skipped time counts against an activity's timeouts, as on the SDK's test server.
const { sleepsInTestTime, recordRun } = proxyActivities<TimeSkippingActivities>({ startToCloseTimeout: '365 days' });

export async function activitySleepsTwoDays(): Promise<string> {
  return await sleepsInTestTime('2 days');
}

/** An activity now, then one after each of `timers` 30-day timers. */
export async function monthlyActivities(key: string, timers: number): Promise<void> {
  await recordRun(key);
  for (let i = 0; i < timers; i++) {
    await sleep('30 days');
    await recordRun(key);
  }
}

const { recordRunSlowly } = proxyActivities<TimeSkippingActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

/** A slow activity with a short timeout, then a 5-minute timer, then an activity. */
export async function slowActivityThenTimer(key: string): Promise<void> {
  await recordRunSlowly(key);
  await sleep('5 minutes');
  await recordRun(key);
}
