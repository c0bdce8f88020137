import { CompleteAsyncError, Context } from '@temporalio/activity';
import { ActivityCancelledError } from '@temporalio/client';
import type { FireWindow } from './types.ts';
import type { WindowScheduler } from './window-scheduler.ts';

export function createWindowActivity(scheduler: WindowScheduler) {
  return {
    /**
     * Hands the window to this process's scheduler, which sends each fire at its time, and
     * completes asynchronously: the scheduler completes it by task token when the window ends
     * (window-scheduler.ts). Open for up to an hour, it holds no activity slot, no heartbeat, and
     * only a small record in the scheduler; the process's lease keeps it alive (window-keeper.ts).
     */
    async runJobWindow(window: FireWindow): Promise<never> {
      const { info, client } = Context.current();
      const { taskToken } = info;
      const interrupt = await scheduler.register({ window, attempt: info.attempt, taskToken, end: (result) => client.activity.complete(taskToken, result) }, client);
      // One heartbeat: a cancel asked before the window was registered (so before its interrupt could reach it) is heard in its answer.
      void client.activity.heartbeat(taskToken).catch((error) => {
        if (error instanceof ActivityCancelledError) interrupt();
      });
      throw new CompleteAsyncError();
    },
  };
}
