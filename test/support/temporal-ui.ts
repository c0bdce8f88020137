import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { runServer, type RunningServer } from '../../embedded-temporal/index.ts';
import { ensureUiBuild } from '../../embedded-temporal/ui/build.ts';
import { ensureDatabase, withDatabase } from '../../db/connection.ts';
import type { BookingActivities } from '../../activities/bookings/types.ts';
import type { bookingWorkflow } from '../../workflows/booking/workflow.ts';
import { bundleWorkflows } from '../../workers/worker.ts';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';

export interface UiStack {
  server: RunningServer & { uiUrl: string };
  client: Client;
  taskQueue: string;
  /** A booking whose hold expired while the bookings database is down: its transition activity keeps retrying. */
  stuckBooking: WorkflowHandleWithFirstExecutionRunId<typeof bookingWorkflow>;
  /** A booking whose hold had expired when it started: expired and completed. */
  expiredBooking: WorkflowHandleWithFirstExecutionRunId<typeof bookingWorkflow>;
  stop(): Promise<void>;
}

/** Why the stuck booking's activity fails, as its pending activity shows it. */
export const DATABASE_DOWN = 'the bookings database is unreachable';

/**
 * embedded-temporal with its Web UI, on a database of its own, and the real bookingWorkflow on a
 * worker whose transition activity fails for the stuck booking (so it has a pending activity).
 */
export async function startUiStack(options: { buildUi: boolean }): Promise<UiStack> {
  if (options.buildUi) await ensureUiBuild();
  const name = `temporal_ui_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(process.env.TEST_SERVER_URL!, name);
  const server = await runServer({ databaseUrl: withDatabase(process.env.TEST_SERVER_URL!, name), uiPort: 0, logLevel: 'error' });
  installQuietRuntime('ERROR');
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `temporal-ui-${randomUUID()}`;
  const activities: BookingActivities = {
    async recordBookingTransition(input) {
      if (input.bookingId.startsWith('stuck')) throw new Error(DATABASE_DOWN);
    },
    async sendBookingReminder() {},
    async recordRescheduleStep() {
      return true;
    },
  };
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: await bundleWorkflows(), activities, shutdownGraceTime: '100ms' });
  const running = worker.run();

  const start = (bookingId: string, holdMs: number) => {
    const now = Date.now();
    return client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
      taskQueue,
      workflowId: `booking-${bookingId}`,
      args: [
        {
          bookingId,
          customerId: 'customer-1',
          providerId: 'provider-1',
          startsAt: new Date(now + 86_400_000).toISOString(),
          endsAt: new Date(now + 90_000_000).toISOString(),
          holdExpiresAt: new Date(now + holdMs).toISOString(),
          responseSlaMinutes: 60,
        },
      ],
    });
  };
  const expiredBooking = await start(`expired-${randomUUID()}`, -1000);
  await expiredBooking.result();
  const stuckBooking = await start(`stuck-${randomUUID()}`, 300);
  while (!(await stuckBooking.describe()).raw.pendingActivities?.length) await new Promise((r) => setTimeout(r, 100));

  return {
    server: server as UiStack['server'],
    client,
    taskQueue,
    stuckBooking,
    expiredBooking,
    async stop() {
      await stuckBooking.terminate('test over').catch(() => undefined);
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await server.stop();
    },
  };
}
