import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { eventually } from '../support/eventually.ts';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import { runServer, type RunningServer } from '../../embedded-temporal/index.ts';
import * as activities from './activities.ts';
import { id, workflowBundle } from './harness.ts';
import { echoHandlers } from './nexus-handlers.ts';
import type { NexusOutcome } from './workflows/nexus.ts';

const { EventType, PendingNexusOperationState } = proto.temporal.api.enums.v1;

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
      await Worker.create({ connection: nativeConnection, taskQueue: handlerQueue, workflowBundle: bundle, activities, nexusServices: [echoHandlers], shutdownGraceTime: '100ms' }),
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

  for (const [operation, backing, result] of [['echoAsync', 'a workflow', 'async there'], ['echoActivity', 'a standalone activity', 'activity there']]) {
    it(`calls an async operation backed by ${backing}: Started, then Completed with its result`, async () => {
      const workflowId = id(operation);
      const outcome = await client.workflow.execute('callsNexus', { taskQueue: callerQueue, workflowId, args: [endpoint, operation, 'there'] });
      expect(outcome).to.deep.equal({ result });
      expect(await eventTypes(workflowId)).to.deep.equal([
        'EVENT_TYPE_NEXUS_OPERATION_SCHEDULED',
        'EVENT_TYPE_NEXUS_OPERATION_STARTED',
        'EVENT_TYPE_NEXUS_OPERATION_COMPLETED',
      ]);
    });
  }

  it('reports failing operations to the workflow as NexusOperationFailure with their cause', async () => {
    expect(await call('failsSync', 'that')).to.include({ error: 'NexusOperationFailure', cause: 'ApplicationFailure', causeMessage: 'cannot do that' });
    expect(await call('failsAsync', 'async trouble')).to.include({ error: 'NexusOperationFailure', cause: 'ApplicationFailure', causeMessage: 'async trouble' });
    const rejected = await call('rejects', 'x');
    expect(rejected).to.include({ error: 'NexusOperationFailure', cause: 'HandlerError' });
    expect(rejected.causeMessage).to.match(/malformed/);
  });

  it('retries a request the handler answered with a retryable handler error', async () => {
    expect(await call('flakySync', id('flaky'))).to.deep.equal({ result: 'attempt 2' });
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

  it('times out an operation that does not close within its schedule-to-close timeout', async () => {
    const workflowId = id('times-out');
    const backing = id('backing');
    const caller = await client.workflow.start('callsNexus', { taskQueue: callerQueue, workflowId, args: [endpoint, 'waitsAsync', backing, '3s'] });
    // While it runs, the caller's description shows it pending, started, with its token.
    const pending = await eventually(async () => {
      const [op] = (await caller.describe()).raw.pendingNexusOperations ?? [];
      return op?.state === PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_STARTED && op;
    }, 'the operation to start');
    expect(pending).to.include({ endpoint, service: 'echo-service', operation: 'waitsAsync' });
    expect(pending.operationToken).to.be.a('string').and.not.empty;
    const outcome = await caller.result();
    expect(outcome).to.include({ error: 'NexusOperationFailure', cause: 'TimeoutFailure' });
    expect(await eventTypes(workflowId)).to.deep.equal(['EVENT_TYPE_NEXUS_OPERATION_SCHEDULED', 'EVENT_TYPE_NEXUS_OPERATION_STARTED', 'EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT']);
    await client.workflow.getHandle(backing).terminate('the test is over');
  });

  it('creates, reads, lists, updates and deletes endpoints by gRPC and by the HTTP API, with the real server\'s errors', async () => {
    const ops = connection.operatorService;
    const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: number }) => e.code);
    const name = `crud-${randomUUID().slice(0, 8)}`;
    const target = (taskQueue: string, namespace = 'default') => ({ worker: { namespace, taskQueue } });
    const description = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"for the tests"') };
    const { endpoint: created } = await ops.createNexusEndpoint({ spec: { name, description, target: target('q1') } });
    const id = created!.id!;
    expect(Number(created!.version)).to.equal(1);
    expect(created!.urlPrefix).to.equal(`/nexus/endpoints/${id}/services`);
    const { endpoint: read } = await ops.getNexusEndpoint({ id });
    expect(read!.spec!.name).to.equal(name);
    expect(Buffer.from(read!.spec!.description!.data!).toString()).to.equal('"for the tests"');
    expect((await ops.listNexusEndpoints({ name })).endpoints!.map((e) => e.id)).to.deep.equal([id]);

    expect(await codeOf(ops.createNexusEndpoint({ spec: { name, target: target('q2') } }))).to.equal(6); // ALREADY_EXISTS
    expect(await codeOf(ops.createNexusEndpoint({ spec: { name: 'no spaces allowed', target: target('q2') } }))).to.equal(3); // INVALID_ARGUMENT
    expect(await codeOf(ops.createNexusEndpoint({ spec: { name: `${name}-x`, target: target('q2', 'no-such-namespace') } }))).to.equal(9); // FAILED_PRECONDITION
    const { endpoint: updated } = await ops.updateNexusEndpoint({ id, version: created!.version, spec: { name, target: target('q2') } });
    expect(Number(updated!.version)).to.equal(2);
    expect(updated!.spec!.target!.worker!.taskQueue).to.equal('q2');
    expect(updated!.lastModifiedTime).to.not.equal(null);
    expect(await codeOf(ops.updateNexusEndpoint({ id, version: created!.version, spec: { name, target: target('q3') } }))).to.equal(9); // stale version

    // The same through the HTTP API the UI and `temporal operator nexus` use.
    const http = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.uiUrl}/api/v1${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const got = await http('GET', `/nexus/endpoints/${id}`);
    expect(got.status).to.equal(200);
    expect(got.body.endpoint).to.include({ id, version: '2' });
    expect(got.body.endpoint.spec.target.worker).to.deep.equal({ namespace: 'default', taskQueue: 'q2' });
    const other = await http('POST', '/nexus/endpoints', { spec: { name: `${name}-http`, target: target('q4') } });
    expect(other.status).to.equal(200);
    expect((await http('GET', `/nexus/endpoints?name=${name}-http`)).body.endpoints.map((e: { id: string }) => e.id)).to.deep.equal([other.body.endpoint.id]);
    expect((await http('POST', `/nexus/endpoints/${id}/update`, { version: '2', spec: { name, target: target('q5') } })).body.endpoint.version).to.equal('3');
    expect((await http('DELETE', `/nexus/endpoints/${id}?version=3`)).status).to.equal(200);
    expect((await http('GET', `/nexus/endpoints/${id}`)).status).to.equal(404);
    expect(await codeOf(ops.getNexusEndpoint({ id }))).to.equal(5); // NOT_FOUND
    const { endpoint: toDelete } = await ops.getNexusEndpoint({ id: other.body.endpoint.id });
    await ops.deleteNexusEndpoint({ id: toDelete!.id, version: toDelete!.version });
    expect((await ops.listNexusEndpoints({ name: `${name}-http` })).endpoints).to.deep.equal([]);
  });
});
