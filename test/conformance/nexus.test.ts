import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { randomUUID } from 'node:crypto';
import * as nexus from 'nexus-rpc';
import proto from '@temporalio/proto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startWorkflow, WorkflowRunOperationHandler } from '@temporalio/nexus';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import { runServer, type RunningServer } from '../../embedded-temporal/index.ts';
import * as activities from './activities.ts';
import { id, workflowBundle } from './harness.ts';
import { echoService, type NexusOutcome } from './workflows/nexus.ts';

const { EventType } = proto.temporal.api.enums.v1;

/** The handler side, as a user writes it: a sync operation, workflow-backed ones, failures. */
const handlers = nexus.serviceHandler(echoService, {
  echoSync: async (_ctx, input) => `sync ${input}`,
  echoAsync: new WorkflowRunOperationHandler<string, string>((ctx, input) => startWorkflow(ctx, 'echoes', { workflowId: id('echoes'), args: [input] })),
  failsSync: async (_ctx, input) => {
    throw new nexus.OperationError('failed', `cannot do ${input}`);
  },
  rejects: async () => {
    throw new nexus.HandlerError('BAD_REQUEST', 'this request is malformed');
  },
  failsAsync: new WorkflowRunOperationHandler<string, string>((ctx, input) => startWorkflow(ctx, 'failsWith', { workflowId: id('fails'), args: [input] })),
  waitsAsync: new WorkflowRunOperationHandler<string, string>((ctx, input) => startWorkflow(ctx, 'waitsForCancel', { workflowId: input, args: [] })),
});

describe('conformance: Nexus endpoints and operations', function () {
  this.timeout(90_000);
  let server: RunningServer;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let workers: Worker[] = [];
  let running: Promise<void>;
  const callerQueue = `nexus-caller-${randomUUID()}`;
  const handlerQueue = `nexus-handler-${randomUUID()}`;
  const endpoint = `echo-${randomUUID().slice(0, 8)}`;

  before(async () => {
    installQuietRuntime('ERROR');
    server = await runServer({ uiPort: 0, uiWriteActions: true, databaseUrl: process.env.TEMPORAL_DB_URL });
    connection = await Connection.connect({ address: server.address });
    nativeConnection = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection });
    await connection.operatorService.createNexusEndpoint({ spec: { name: endpoint, target: { worker: { namespace: 'default', taskQueue: handlerQueue } } } });
    // One worker runs the calling workflows, another is the endpoint's handler (and runs the workflows behind it).
    const bundle = await workflowBundle();
    workers = [
      await Worker.create({ connection: nativeConnection, taskQueue: callerQueue, workflowBundle: bundle, activities, shutdownGraceTime: '100ms' }),
      await Worker.create({ connection: nativeConnection, taskQueue: handlerQueue, workflowBundle: bundle, nexusServices: [handlers], shutdownGraceTime: '100ms' }),
    ];
    running = Promise.all(workers.map((w) => w.run())).then(() => undefined);
  });
  after(async () => {
    for (const w of workers) w.shutdown();
    await running?.catch(() => undefined);
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
  });

  const call = (operation: string, input: string) =>
    client.workflow.execute('callsNexus', { taskQueue: callerQueue, workflowId: id('caller'), args: [endpoint, operation, input] }) as Promise<NexusOutcome>;
  const eventTypes = async (workflowId: string) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).map((e) => EventType[e.eventType ?? 0]).filter((t) => t.includes('NEXUS'));
  };

  it('calls a sync operation: its result comes back in NexusOperationCompleted', async () => {
    const workflowId = id('sync');
    const outcome = await client.workflow.execute('callsNexus', { taskQueue: callerQueue, workflowId, args: [endpoint, 'echoSync', 'hi'] });
    expect(outcome).to.deep.equal({ result: 'sync hi' });
    expect(await eventTypes(workflowId)).to.deep.equal(['EVENT_TYPE_NEXUS_OPERATION_SCHEDULED', 'EVENT_TYPE_NEXUS_OPERATION_COMPLETED']);
  });

  it('calls an async operation backed by a workflow: Started, then Completed with the workflow result', async () => {
    const workflowId = id('async');
    const outcome = await client.workflow.execute('callsNexus', { taskQueue: callerQueue, workflowId, args: [endpoint, 'echoAsync', 'there'] });
    expect(outcome).to.deep.equal({ result: 'async there' });
    expect(await eventTypes(workflowId)).to.deep.equal([
      'EVENT_TYPE_NEXUS_OPERATION_SCHEDULED',
      'EVENT_TYPE_NEXUS_OPERATION_STARTED',
      'EVENT_TYPE_NEXUS_OPERATION_COMPLETED',
    ]);
  });

  it('reports failing operations to the workflow as NexusOperationFailure with their cause', async () => {
    expect(await call('failsSync', 'that')).to.include({ error: 'NexusOperationFailure', cause: 'ApplicationFailure', causeMessage: 'cannot do that' });
    expect(await call('failsAsync', 'async trouble')).to.include({ error: 'NexusOperationFailure', cause: 'ApplicationFailure', causeMessage: 'async trouble' });
    const rejected = await call('rejects', 'x');
    expect(rejected).to.include({ error: 'NexusOperationFailure', cause: 'HandlerError' });
    expect(rejected.causeMessage).to.match(/malformed/);
  });

  it('cancels a started async operation: the handler cancels the workflow behind it', async () => {
    const workflowId = id('cancels');
    const backing = id('backing');
    const outcome = await client.workflow.execute('cancelsNexus', { taskQueue: callerQueue, workflowId, args: [endpoint, backing] });
    expect(outcome).to.include({ error: 'NexusOperationFailure', cause: 'CancelledFailure' });
    expect((await client.workflow.getHandle(backing).describe()).status.name).to.equal('CANCELLED');
    const types = await eventTypes(workflowId);
    expect(types).to.include.members(['EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED', 'EVENT_TYPE_NEXUS_OPERATION_CANCELED']);
  });
});
