import { Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import { status } from '@grpc/grpc-js';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { REAL_SERVER, startEnv, id, type Env } from './harness.ts';

describe('conformance: errors and timeouts', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it('NOT_FOUND for an unknown workflow', async () => {
    const error = await env.client.workflow.getHandle(id('nobody')).describe().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WorkflowNotFoundError);
  });

  it('NOT_FOUND for an unknown namespace', async () => {
    const client = new Client({ connection: env.connection, namespace: id('no-such-namespace') });
    const error = await client.workflow.start('greet', { args: ['x'], taskQueue: env.taskQueue, workflowId: id('greet') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NamespaceNotFoundError);
  });

  it('INVALID_ARGUMENT for a malformed request', async () => {
    const error = await env.connection.workflowService
      .startWorkflowExecution({ namespace: 'default', workflowId: '', workflowType: { name: 'greet' }, taskQueue: { name: env.taskQueue }, requestId: id('r') })
      .catch((e: unknown) => e);
    expect((error as { code: number }).code).to.equal(status.INVALID_ARGUMENT);
  });

  it('refuses a workflow task completion it cannot apply, and hands the task out again at once', async function () {
    // The task timeout is longer than this test may take: the workflow only finishes in time if
    // the refused task goes out again without waiting for it.
    this.timeout(15_000);
    const queue = id('bad-completion');
    const handle = await env.client.workflow.start('greet', { args: ['again'], taskQueue: queue, workflowId: id('bad'), workflowTaskTimeout: '20s' });
    const namespace = 'default';
    const task = await env.connection.workflowService.pollWorkflowTaskQueue({ namespace, taskQueue: { name: queue }, identity: 'confused-worker' });
    const refused = await env.connection.workflowService
      .respondWorkflowTaskCompleted({ namespace, taskToken: task.taskToken, identity: 'confused-worker', commands: [{ commandType: proto.temporal.api.enums.v1.CommandType.COMMAND_TYPE_UNSPECIFIED }] })
      .catch((e: { code?: number }) => e.code);
    expect(refused).to.equal(status.INVALID_ARGUMENT);
    const worker = await env.worker({ taskQueue: queue });
    expect(await worker.runUntil(handle.result())).to.equal('Hello, again!');
  });

  it('UNIMPLEMENTED for an RPC the server does not support', async function () {
    if (REAL_SERVER) this.skip();
    const error = await env.connection.workflowService.listBatchOperations({ namespace: 'default' }).catch((e: unknown) => e);
    expect((error as { code: number }).code).to.equal(status.UNIMPLEMENTED);
  });

  it('times out a workflow run that outlives its run timeout', async () => {
    const handle = await env.client.workflow.start('sleeper', { args: [60_000], taskQueue: env.taskQueue, workflowId: id('slow'), workflowRunTimeout: '1s' });
    const error = await env.withWorker(() => handle.result().catch((e: unknown) => e));
    expect(error).to.be.instanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).to.equal('TIMED_OUT');
  });

  it('reads history backwards, newest first', async () => {
    const handle = await env.client.workflow.start('sleeper', { args: [60_000], taskQueue: env.taskQueue, workflowId: id('rev') });
    await handle.terminate();
    const { history } = await env.connection.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: 'default',
      execution: { workflowId: handle.workflowId },
    });
    const ids = (history?.events ?? []).map((e) => Number(e.eventId));
    expect(ids[0]).to.be.greaterThan(ids[ids.length - 1]);
    expect(ids[ids.length - 1]).to.equal(1);
  });
});
