import type { JobActivities } from '../../activities/jobs/types.ts';
import { endsWindow } from '../../activities/jobs/window-scheduler.ts';

/**
 * A window as the workflow tests' recording activities run it: each fire through their own
 * runJobAttempt, at once (time is skipped), ending where the real one ends.
 */
export function windowThrough(runJobAttempt: JobActivities['runJobAttempt']): JobActivities['runJobWindow'] {
  return async ({ jobId, fires }) => {
    let handled = 0;
    let last = null;
    for (const fire of fires) {
      last = await runJobAttempt({ jobId, runId: fire.runId, attempt: 1, scheduledFor: fire.scheduledFor, trigger: 'schedule' });
      handled += 1;
      if (endsWindow(last)) break;
    }
    return { handled, last, changedRevision: null };
  };
}
