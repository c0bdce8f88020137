import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { msToTs } from '@temporalio/common/lib/time.js';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startTemporalServer } from '../../embedded-temporal/index.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../embedded-temporal/throwaway-postgres.ts';
import * as activities from './activities.ts';
import { REAL_SERVER, id, workflowBundle } from './harness.ts';
import { addSignal, doneSignal } from './workflows/index.ts';
import { echoHandlers } from './nexus-handlers.ts';

/** Durability: the server is stopped and started again on the same database; nothing is lost. */
describe('conformance: server restart and worker loss (embedded only)', function () {
  this.timeout(40_000);
  let pg: ThrowawayPostgres;
  let server: Awaited<ReturnType<typeof startTemporalServer>>;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  const taskQueue = id('restart');

  before(function () {
    if (REAL_SERVER) this.skip();
  });
  before(async () => {
    pg = await startThrowawayPostgres();
    server = await startTemporalServer({ databaseUrl: pg.url });
    connection = await Connection.connect({ address: server.address });
    nativeConnection = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
    await pg?.stop();
  });

  const restart = async () => {
    await server.stop();
    server = await startTemporalServer({ databaseUrl: pg.url, port: server.port });
  };
  const worker = async (queue = taskQueue) => Worker.create({ connection: nativeConnection, taskQueue: queue, workflowBundle: await workflowBundle(), activities, shutdownGraceTime: '100ms' });
  const waitFor = async (predicate: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await predicate()); i++) await new Promise((r) => setTimeout(r, 100));
  };

  it('a timer, a buffered signal and a workflow without a worker all survive a restart', async () => {
    const sleeping = await client.workflow.start('sleeper', { args: [1500], taskQueue, workflowId: id('sleeper') });
    const summing = await client.workflow.start('accumulator', { taskQueue, workflowId: id('sum') });
    const w = await worker();
    await w.runUntil(waitFor(async () => (await sleeping.fetchHistory()).events!.length >= 5));
    await summing.signal(addSignal, 7); // no worker: stays in history, undelivered
    await restart();
    const [slept, total] = await (await worker()).runUntil(async () => {
      await summing.signal(doneSignal);
      return Promise.all([sleeping.result(), summing.result()]);
    });
    expect(slept).to.equal('woke');
    expect(total).to.equal(7);
  });

  it('workflow ids used before a restart keep their runs: a second start is refused or starts a new run as its policies say', async () => {
    const running = await client.workflow.start('accumulator', { taskQueue, workflowId: id('still-running') });
    const done = await client.workflow.start('greet', { args: ['once'], taskQueue, workflowId: id('done') });
    expect(await (await worker()).runUntil(done.result())).to.equal('Hello, once!');
    await restart();
    const again = (workflowId: string, workflowIdReusePolicy?: 'REJECT_DUPLICATE') =>
      client.workflow.start('greet', { args: ['twice'], taskQueue, workflowId, workflowIdReusePolicy }).then(
        (handle) => handle,
        (err: unknown) => (err instanceof WorkflowExecutionAlreadyStartedError ? 'refused' : Promise.reject(err)),
      );
    expect(await again(running.workflowId)).to.equal('refused');
    expect(await again(done.workflowId, 'REJECT_DUPLICATE')).to.equal('refused');
    const second = await again(done.workflowId);
    if (second === 'refused') throw new Error('a completed workflow id was refused under ALLOW_DUPLICATE');
    expect(second.firstExecutionRunId).to.not.equal(done.firstExecutionRunId);
    const results = await (await worker()).runUntil(async () => {
      await running.signal(addSignal, 3);
      await running.signal(doneSignal);
      return Promise.all([running.result(), second.result()]);
    });
    expect(results).to.deep.equal([3, 'Hello, twice!']);
  });

  it('a workflow task handed out just before a restart goes out again, and the answer to the lost hand-out is refused', async () => {
    const queue = id('lost-task');
    const handle = await client.workflow.start('greet', { args: ['again'], taskQueue: queue, workflowId: id('lost') });
    const namespace = 'default';
    const task = await connection.workflowService.pollWorkflowTaskQueue({ namespace, taskQueue: { name: queue }, identity: 'gone-worker' });
    expect(task.taskToken?.length).to.be.greaterThan(0);
    await restart();
    const late = await connection.workflowService
      .respondWorkflowTaskCompleted({ namespace, taskToken: task.taskToken, identity: 'gone-worker', commands: [] })
      .then(() => 'accepted', (err: { code?: number }) => err.code);
    expect(late).to.equal(5); // NOT_FOUND, as for any stale task
    const result = await Worker.create({ connection: nativeConnection, taskQueue: queue, workflowBundle: await workflowBundle(), activities, shutdownGraceTime: '100ms' }).then((w) =>
      w.runUntil(handle.result()),
    );
    expect(result).to.equal('Hello, again!');
    const starts = (await handle.fetchHistory()).events!.filter((e) => e.workflowTaskStartedEventAttributes);
    expect(starts.map((e) => e.workflowTaskStartedEventAttributes!.identity)).to.not.include('gone-worker');
  });

  it('a worker killed with runs cached (no ShutdownWorker): 10 s after its last sticky poll their tasks go to the task queue, not after each sticky timeout', async () => {
    const queue = id('killed-sticky');
    const namespace = 'default';
    const handle = await client.workflow.start('accumulator', { taskQueue: queue, workflowId: id('cached') });
    // What a worker does: it completes the first task asking for its sticky queue (here for a minute), polls that queue, and dies.
    const task = await connection.workflowService.pollWorkflowTaskQueue({ namespace, taskQueue: { name: queue }, identity: 'killed-worker' });
    const sticky = `${queue}-sticky`;
    await connection.workflowService.respondWorkflowTaskCompleted({
      namespace,
      taskToken: task.taskToken,
      identity: 'killed-worker',
      commands: [],
      stickyAttributes: { workerTaskQueue: { name: sticky, kind: 2 /* STICKY */ }, scheduleToStartTimeout: msToTs('60s') },
    });
    const polled = await connection.withDeadline(Date.now() + 1_500, () => connection.workflowService.pollWorkflowTaskQueue({ namespace, taskQueue: { name: sticky, kind: 2 }, identity: 'killed-worker' }));
    expect(polled.taskToken?.length ?? 0, 'nothing to take yet').to.equal(0);
    await new Promise((r) => setTimeout(r, 10_500));

    const signalled = Date.now();
    await handle.signal(addSignal, 5);
    await handle.signal(doneSignal);
    expect(await (await worker(queue)).runUntil(handle.result())).to.equal(5);
    // Within the sticky timeout, by far: the task did not wait for the dead worker's queue.
    expect(Date.now() - signalled).to.be.lessThan(30_000);
    const starts = (await handle.fetchHistory()).events!.filter((e) => e.workflowTaskStartedEventAttributes).map((e) => e.workflowTaskStartedEventAttributes!.identity);
    expect(starts.slice(1)).to.not.include('killed-worker');
  });

  it('a worker lost mid-activity: the attempt times out and another worker completes it', async () => {
    const handle = await client.workflow.start('slowActivity', { taskQueue, workflowId: id('slow') });
    const first = await worker();
    // The first worker takes the activity (its first attempt hangs), then goes away with it.
    await first.runUntil(waitFor(async () => (await handle.describe()).raw.pendingActivities?.[0]?.state === 2));
    await restart();
    const second = await worker();
    expect(await second.runUntil(handle.result())).to.equal('survived');
  });

  it('a standalone activity waiting for a worker and a Nexus endpoint survive a restart', async () => {
    const activity = await client.activity.start('echo', { id: id('standalone'), taskQueue, startToCloseTimeout: '10s', args: ['after restart'] });
    const name = `durable-${Date.now()}`;
    const { endpoint } = await connection.operatorService.createNexusEndpoint({ spec: { name, target: { worker: { namespace: 'default', taskQueue } } } });
    await restart();
    const { endpoint: reloaded } = await connection.operatorService.getNexusEndpoint({ id: endpoint!.id });
    expect(reloaded!.spec!.name).to.equal(name);
    expect(await (await worker()).runUntil(activity.result())).to.equal('after restart');
  });

  it('a Nexus operation scheduled while no handler polls is sent to the handler that polls after a restart', async () => {
    const handlerQueue = id('nexus-handler');
    const name = `after-restart-${Date.now()}`;
    await connection.operatorService.createNexusEndpoint({ spec: { name, target: { worker: { namespace: 'default', taskQueue: handlerQueue } } } });
    const caller = await client.workflow.start('callsNexus', { args: [name, 'echoSync', 'later'], taskQueue, workflowId: id('nexus-caller') });
    const scheduled = async () => (await caller.fetchHistory()).events!.some((e) => e.nexusOperationScheduledEventAttributes);
    await (await worker()).runUntil(waitFor(scheduled));
    expect(await scheduled()).to.equal(true);
    await restart();
    const handler = await Worker.create({ connection: nativeConnection, taskQueue: handlerQueue, nexusServices: [echoHandlers], shutdownGraceTime: '100ms' });
    const outcome = await handler.runUntil((await worker()).runUntil(caller.result()));
    expect(outcome).to.deep.equal({ result: 'sync later' });
  });
});

