import { expect } from 'chai';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { runServer, type RunningServer } from '../../embedded-temporal/index.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../embedded-temporal/throwaway-postgres.ts';
import { bundleWorkflows } from '../../workers/worker.ts';
import type { BookingActivities } from '../../activities/bookings/types.ts';
import type { bookingWorkflow } from '../../workflows/booking/workflow.ts';

const BOOKINGS = Number(process.env.RESTART_BOOKINGS ?? 1_000);
const HOUR = 3_600_000;
const BATCH = 200;

/** Runs `task` on each item, BATCH at a time. */
async function inBatches<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += BATCH) results.push(...(await Promise.all(items.slice(i, i + BATCH).map(task))));
  return results;
}

/**
 * Thousands of booking actors wait on their hold's deadline when the Temporal server restarts:
 * after it, every deadline fires, once. The server keeps no idle run in memory and recovers only
 * each run's next deadline, so this is the path every idle actor takes. The server skips time
 * (only when told to, after the restart) so that the deadline is reached whatever the load.
 */
describe('booking actors across a Temporal server restart (embedded)', function () {
  this.timeout(180_000);
  let temporalDb: ThrowawayPostgres;
  let server: RunningServer;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let bundle: WorkflowBundle;
  const taskQueue = 'booking-restart';
  const expired = new Map<string, number>();
  // What a hold that expires calls; the actor's other activities are not reached here.
  const activities: Pick<BookingActivities, 'recordBookingTransition' | 'sendBookingReminder'> = {
    async recordBookingTransition(input) {
      if (input.action === 'expire') expired.set(input.bookingId, (expired.get(input.bookingId) ?? 0) + 1);
    },
    async sendBookingReminder() {},
  };
  const worker = () => Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: bundle, activities, shutdownGraceTime: '100ms' });

  before(async () => {
    [temporalDb, bundle] = await Promise.all([startThrowawayPostgres(), bundleWorkflows()]);
    server = await runServer({ databaseUrl: temporalDb.url, timeSkipping: true });
    connection = await Connection.connect({ address: server.address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as ConnectionOptions);
    nativeConnection = await NativeConnection.connect({ address: server.address });
  });
  after(async () => {
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
    await temporalDb?.stop();
  });

  it(`${BOOKINGS} holds waiting on their deadline all expire, once each, after the server restarts`, async () => {
    const client = new Client({ connection });
    const ids = Array.from({ length: BOOKINGS }, (_, i) => String(i + 1));
    const handle = (id: string) => client.workflow.getHandle<typeof bookingWorkflow>(`booking-${id}`);
    const now = Date.now();
    const holdExpiresAt = new Date(now + HOUR).toISOString();
    await (await worker()).runUntil(async () => {
      await inBatches(ids, (bookingId) =>
        client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
          workflowId: `booking-${bookingId}`,
          taskQueue,
          args: [{ bookingId, customerId: '11', providerId: '22', startsAt: new Date(now + 72 * HOUR).toISOString(), endsAt: new Date(now + 73 * HOUR).toISOString(), holdExpiresAt, responseSlaMinutes: 24 * 60 }],
        }),
      );
      // Until each has run its first task: then it only waits on its timer.
      const hasTaskPending = async (id: string) => (await handle(id).describe()).raw.pendingWorkflowTask != null;
      while ((await inBatches(ids, hasTaskPending)).some(Boolean)) await new Promise((r) => setTimeout(r, 500));
    });

    await server.stop();
    server = await runServer({ databaseUrl: temporalDb.url, port: server.port, timeSkipping: true });

    const results = await (await worker()).runUntil(async () => {
      await connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(2 * HOUR) });
      return inBatches(ids, (id) => handle(id).result());
    });
    expect(results.map((r) => r.state)).to.deep.equal(ids.map(() => 'expired'));
    expect(results.every((r) => r.transitions.length === 1 && r.transitions[0].action === 'expire'), 'one expiry in each booking').to.equal(true);
    expect([...expired.keys()].sort()).to.deep.equal([...ids].sort());
    expect([...expired.values()].every((n) => n === 1), 'each hold expired once').to.equal(true);
  });
});
