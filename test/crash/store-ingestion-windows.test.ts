import { expect } from 'chai';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startTemporalServer } from '../../embedded-temporal/index.ts';
import { connectTemporal, type TemporalGateway } from '../../api/temporal.ts';
import { createApp } from '../../api/app.ts';
import { createActivities } from '../../activities/index.ts';
import { outboxMailer } from '../../runtime/mail/outbox-mailer.ts';
import { bundleWorkflows } from '../../workers/worker.ts';
import { countEventsByStatus } from '../../db/repositories/stores-events.ts';
import { startWorkerProcess } from '../../bench/support/worker-process.ts';
import { connectStore, shopifyOrder, shopifyWebhook } from '../api/stores/support.ts';
import { testContext, testDb } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { storeWorkflowId } from '../../workflows/store-ingestion/definitions.ts';

/** The task queue the worker processes of bench/support/worker-process.ts poll. */
const TASK_QUEUE = 'bench';

/**
 * A store's ingest window held by a worker process that is killed or stops: the webhooks it
 * applied count once, those acknowledged while it was gone (no signal goes while a window is out)
 * are applied by the worker that takes the window over (when its heartbeat times out, or at once
 * when the process handed it back), and none is lost.
 */
describe('store ingest windows under a worker crash', function () {
  this.timeout(240_000);
  let server: { address: string; stop(): Promise<void> };
  let temporal: TemporalGateway;

  before(async () => {
    server = await startTemporalServer({ databaseUrl: process.env.DATABASE_URL, logLevel: 'warn' });
    temporal = await connectTemporal(server.address, 'default', TASK_QUEUE);
  });
  after(async () => {
    await temporal?.close();
    await server?.stop();
  });

  /**
   * A store's webhooks while its window is held by a worker process, which `stop` then ends; with
   * the process gone, more are acknowledged (no signal goes while a window is out), and a worker in
   * this process takes the window over. Each must be applied and counted once. Answers why the
   * dead process's attempt at the window ended, as the actor's pending activity records it.
   */
  async function windowTakenOver(stop: (doomed: { pid: number; stop(): Promise<void> }) => Promise<void>): Promise<string> {
    const ctx = testContext({ temporal, mailer: outboxMailer(testDb()) });
    const stack = { ctx, app: createApp(ctx) };
    const doomed = await startWorkerProcess({ databaseUrl: process.env.DATABASE_URL!, temporalAddress: server.address, appSecret: ctx.config.APP_SECRET!, env: { LOG_LEVEL: 'fatal' } });
    let survivor: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;
    try {
      const store = await connectStore(stack, 'shopify');
      const placed = new Date(Date.now() - 10 * 60_000).toISOString();
      const send = async (n: number) => void (await shopifyWebhook(stack, store, 'orders/create', shopifyOrder(8000 + n, { total: '1.00', createdAt: placed })).expect(200));
      const applied = async () => (await countEventsByStatus(testDb(), store.storeId)).applied ?? 0;
      const ordersCounted = async () => Number((await testDb()('store_metrics_daily').where({ store_id: store.storeId }).sum({ orders: 'orders' }))[0].orders ?? 0);

      await send(1);
      await eventually(async () => (await applied()) === 1, 'the first webhook applied', { timeoutMs: 60_000 });
      for (const n of [2, 3]) await send(n);
      await eventually(async () => (await applied()) === 3, 'the next two applied in the window', { timeoutMs: 30_000 });
      expect(await testDb()('store_ingest_windows').where({ store_id: store.storeId }).first(), 'a window is out').to.not.equal(undefined);

      await stop(doomed);
      for (const n of [4, 5]) await send(n);
      const connection = await NativeConnection.connect({ address: server.address });
      const worker = await Worker.create({
        connection,
        taskQueue: TASK_QUEUE,
        workflowBundle: await bundleWorkflows(),
        activities: createActivities({ db: testDb(), mailer: outboxMailer(testDb()), publicUrl: 'http://127.0.0.1:3000', linkKey: new Uint8Array(32), allowLoopbackTargets: true }),
      });
      survivor = { worker, connection, running: worker.run() };
      await eventually(async () => (await applied()) === 5, 'the webhooks acknowledged while the worker was gone applied', { timeoutMs: 120_000 });
      await send(6);
      await eventually(async () => (await applied()) === 6, 'a later webhook applied', { timeoutMs: 30_000 });
      expect(await countEventsByStatus(testDb(), store.storeId)).to.deep.equal({ applied: 6 });
      expect(await ordersCounted()).to.equal(6);
      const { raw } = await temporal.client.workflow.getHandle(storeWorkflowId(store.storeId)).describe();
      return raw.pendingActivities?.[0]?.lastFailure?.message ?? '';
    } finally {
      await doomed.stop().catch(() => undefined);
      if (survivor) {
        survivor.worker.shutdown();
        await survivor.running;
        await survivor.connection.close();
      }
    }
  }

  it('applies each webhook once when the worker holding the store\'s window is killed, the others through the window taken over on its heartbeat timeout', async () => {
    const ended = await windowTakenOver(async (doomed) => void process.kill(doomed.pid, 'SIGKILL'));
    expect(ended).to.match(/heartbeat/i);
  });

  it('hands the store\'s window back when its worker process stops, and applies each webhook once', async () => {
    const ended = await windowTakenOver((doomed) => doomed.stop());
    expect(ended).to.equal('the worker process holding this window stopped');
  });
});
