import { missedFires } from '../../domain/cron/missed-fires.ts';
import { nextRuns } from '../../domain/cron/next-runs.ts';
import type { FirePlan, FirePlanRequest } from './types.ts';

/** What is due since the cursor and what comes next, for the actor (run as a local activity). */
export async function planFires({ schedule, cursor, now, count }: FirePlanRequest): Promise<FirePlan> {
  const nowDate = new Date(now);
  const cursorDate = new Date(cursor);
  const from = cursorDate > nowDate ? cursorDate : nowDate;
  return {
    due: missedFires(schedule, cursorDate, nowDate).map((d) => d.toISOString()),
    upcoming: nextRuns(schedule, from, count).map((d) => d.toISOString()),
  };
}
