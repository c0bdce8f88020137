import { expect } from 'chai';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { runServer, type RunningServer } from '../../embedded-temporal/index.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../embedded-temporal/throwaway-postgres.ts';
import { bundleWorkflows } from '../../workers/worker.ts';
import type { BookingActivities } from '../../activities/bookings/types.ts';
import type { bookingWorkflow } from '../../workflows/booking/workflow.ts';
import { confirmUpdate } from '../../workflows/booking/definitions.ts';

const BOOKINGS = Number(process.env.RESTART_BOOKINGS ?? 1_000);
/** Requests waiting on their answer deadline: each is confirmed first, so fewer keep the suite short. */
const REQUESTS = Math.ceil(BOOKINGS / 2);
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
  const declined = new Map<string, number>();
  // What a hold that expires or a request that lapses calls; the actor's other activities are not reached here.
  const activities: Pick<BookingActivities, 'recordBookingTransition' | 'sendBookingReminder'> = {
    async recordBookingTransition(input) {
      if (input.action === 'expire') expired.set(input.bookingId, (expired.get(input.bookingId) ?? 0) + 1);
      if (input.action === 'auto_decline') declined.set(input.bookingId, (declined.get(input.bookingId) ?? 0) + 1);
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

  const client = () => new Client({ connection });
  const handle = (id: string) => client().workflow.getHandle<typeof bookingWorkflow>(`booking-${id}`);

  const serverNow = async () => tsToMs((await connection.testService!.getCurrentTime({})).time);

  /** Starts a booking actor for each id (and runs `then` on each), until each only waits on its timer. */
  async function startActors(ids: string[], then: (id: string) => Promise<unknown> = async () => undefined): Promise<void> {
    // The server's clock: an earlier test's skipped time put it ahead of ours.
    const now = await serverNow();
    const holdExpiresAt = new Date(now + HOUR).toISOString();
    await (await worker()).runUntil(async () => {
      await inBatches(ids, async (bookingId) => {
        await client().workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
          workflowId: `booking-${bookingId}`,
          taskQueue,
          args: [{ bookingId, customerId: '11', providerId: '22', startsAt: new Date(now + 72 * HOUR).toISOString(), endsAt: new Date(now + 73 * HOUR).toISOString(), holdExpiresAt, responseSlaMinutes: 60 }],
        });
        await then(bookingId);
      });
      // Until each has run its tasks: then it only waits on its timer.
      const hasTaskPending = async (id: string) => (await handle(id).describe()).raw.pendingWorkflowTask != null;
      while ((await inBatches(ids, hasTaskPending)).some(Boolean)) await new Promise((r) => setTimeout(r, 500));
    });
  }

  /** Restarts the server, lets 2 hours pass, and answers each actor's result. */
  async function afterRestart(ids: string[]) {
    const stoppedAt = await serverNow();
    await server.stop();
    server = await runServer({ databaseUrl: temporalDb.url, port: server.port, timeSkipping: true });
    // A restarted server's clock starts again from the wall clock: time an earlier test skipped is made up here.
    const sleep = stoppedAt + 2 * HOUR - (await serverNow());
    return (await worker()).runUntil(async () => {
      await connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(sleep) });
      return inBatches(ids, (id) => handle(id).result());
    });
  }

  it(`${BOOKINGS} holds waiting on their deadline all expire, once each, after the server restarts`, async () => {
    const ids = Array.from({ length: BOOKINGS }, (_, i) => String(i + 1));
    await startActors(ids);
    const results = await afterRestart(ids);
    expect(results.map((r) => r.state)).to.deep.equal(ids.map(() => 'expired'));
    expect(results.every((r) => r.transitions.length === 1 && r.transitions[0].action === 'expire'), 'one expiry in each booking').to.equal(true);
    expect([...expired.keys()].sort()).to.deep.equal([...ids].sort());
    expect([...expired.values()].every((n) => n === 1), 'each hold expired once').to.equal(true);
  });

  it(`${REQUESTS} requests waiting on their answer deadline are all declined, once each, after the server restarts`, async () => {
    const ids = Array.from({ length: REQUESTS }, (_, i) => `request-${i + 1}`);
    await startActors(ids, (id) => handle(id).executeUpdate(confirmUpdate, { args: [{ actor: { role: 'customer', userId: '11' } }] }));
    const results = await afterRestart(ids);
    expect(results.map((r) => r.state)).to.deep.equal(ids.map(() => 'declined'));
    expect(results.every((r) => r.transitions.map((t) => t.action).join() === 'confirm,auto_decline'), 'one decline in each booking').to.equal(true);
    expect([...declined.keys()].sort()).to.deep.equal([...ids].sort());
    expect([...declined.values()].every((n) => n === 1), 'each request declined once').to.equal(true);
  });
});
