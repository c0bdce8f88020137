import { DateTime } from 'luxon';
import { FAILED_STATUSES, jobsApi } from '../../api/jobs';
import type { Id } from '../../api/types';
import { runLimited } from './runLimited';

export interface DaySuccess {
  /** The day's start in the viewer's zone, ISO. */
  day: string;
  succeeded: number;
  failed: number;
}

/**
 * Succeeded and failed executions for each of the last `days` days (the viewer's days, today
 * last). The API has no per-day figures, so each day is two counting requests, a few at a time.
 */
export async function loadDailySuccess(orgId: Id, jobId: Id, days = 30): Promise<DaySuccess[]> {
  const today = DateTime.now().startOf('day');
  const result: DaySuccess[] = Array.from({ length: days }, (_, i) => ({
    day: today.minus({ days: days - 1 - i }).toISO()!,
    succeeded: 0,
    failed: 0,
  }));
  const tasks = result.map((entry) => async () => {
    const from = entry.day;
    const to = DateTime.fromISO(entry.day).plus({ days: 1 }).toISO()!;
    [entry.succeeded, entry.failed] = await Promise.all([
      jobsApi.countExecutions(orgId, jobId, { status: ['success'], from, to }),
      jobsApi.countExecutions(orgId, jobId, { status: FAILED_STATUSES, from, to }),
    ]);
  });
  await runLimited(tasks, 3);
  return result;
}
