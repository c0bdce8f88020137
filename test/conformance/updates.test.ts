import { Client, Connection, ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, WithStartWorkflowOperation } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { eventually } from '../support/eventually.ts';
import { startEnv, id, type Env } from './harness.ts';
import { doneSignal, neverEndingUpdate, setValueUpdate, totalQuery } from './workflows/index.ts';

const eventTypes = async (env: Env, workflowId: string) => {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).map((e) => proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]);
};

describe('conformance: updates', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it('completes an accepted update and rejects an invalid one without a trace', async () => {
    const workflowId = id('entity');
    const handle = await env.client.workflow.start('entity', { args: [1], taskQueue: env.taskQueue, workflowId });
    await env.withWorker(async () => {
      expect(await handle.executeUpdate(setValueUpdate, { args: [5] })).to.equal(1);
      const before = await eventTypes(env, workflowId);
      const error = await handle.executeUpdate(setValueUpdate, { args: [-1] }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause?.message).to.equal('value must not be negative');
      expect(await eventTypes(env, workflowId)).to.deep.equal(before);
      expect(await handle.query(totalQuery)).to.equal(5);
      await handle.signal(doneSignal);
      expect(await handle.result()).to.equal(5);
    });
    const types = await eventTypes(env, workflowId);
    expect(types.filter((t) => t === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).to.have.length(1);
    expect(types.filter((t) => t === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED')).to.have.length(1);
  });

  it('waits for ACCEPTED with startUpdate, then gets the result', async () => {
    const handle = await env.client.workflow.start('entity', { args: [2], taskQueue: env.taskQueue, workflowId: id('entity') });
    await env.withWorker(async () => {
      const update = await handle.startUpdate(setValueUpdate, { args: [9], waitForStage: 'ACCEPTED' });
      expect(await update.result()).to.equal(2);
      const again = env.client.workflow.getHandle(handle.workflowId).getUpdateHandle<number>(update.updateId);
      expect(await again.result()).to.equal(2);
      await handle.signal(doneSignal);
    });
  });

  it('update-with-start starts the workflow, then updates the running one', async () => {
    const workflowId = id('uws');
    const operation = () =>
      new WithStartWorkflowOperation('entity', { args: [10], taskQueue: env.taskQueue, workflowId, workflowIdConflictPolicy: 'USE_EXISTING' });
    await env.withWorker(async () => {
      const first = operation();
      expect(await env.client.workflow.executeUpdateWithStart(setValueUpdate, { args: [11], startWorkflowOperation: first })).to.equal(10);
      const handle = await first.workflowHandle();
      const second = operation();
      expect(await env.client.workflow.executeUpdateWithStart(setValueUpdate, { args: [12], startWorkflowOperation: second })).to.equal(11);
      await handle.signal(doneSignal);
      expect(await handle.result()).to.equal(12);
    });
    // Both updates ran in the one run the first call started.
    const types = await eventTypes(env, workflowId);
    expect(types.filter((t) => t === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED')).to.have.length(2);
  });

  it('update-with-start with conflict policy FAIL reports the running workflow', async () => {
    const workflowId = id('uws-fail');
    await env.client.workflow.start('entity', { args: [0], taskQueue: env.taskQueue, workflowId });
    const operation = new WithStartWorkflowOperation('entity', { args: [0], taskQueue: env.taskQueue, workflowId, workflowIdConflictPolicy: 'FAIL' });
    const error = await env.client.workflow.executeUpdateWithStart(setValueUpdate, { args: [1], startWorkflowOperation: operation }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WorkflowExecutionAlreadyStartedError);
    await env.client.workflow.getHandle(workflowId).terminate();
  });

  it('fails an update still running when its workflow completes, with AcceptedUpdateCompletedWorkflow', async () => {
    const handle = await env.client.workflow.start('entity', { args: [0], taskQueue: env.taskQueue, workflowId: id('outlived') });
    const error = await env.withWorker(async () => {
      const update = await handle.startUpdate(neverEndingUpdate, { waitForStage: 'ACCEPTED' });
      await handle.signal(doneSignal);
      expect(await handle.result()).to.equal(0);
      return update.result().catch((e: unknown) => e);
    });
    expect(error).to.be.instanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).to.be.instanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).to.equal('AcceptedUpdateCompletedWorkflow');
    expect((cause as ApplicationFailure).nonRetryable).to.equal(true);
  });

  it('refuses an eleventh update in flight with RESOURCE_EXHAUSTED, the real server\'s default limit', async () => {
    const handle = await env.client.workflow.start('entity', { args: [0], taskQueue: env.taskQueue, workflowId: id('busy') });
    // The SDK retries RESOURCE_EXHAUSTED by default; a client without retries sees the refusal at once.
    const connection = await Connection.connect({ address: env.address, interceptors: [] });
    try {
      const impatient = new Client({ connection }).workflow.getHandle(handle.workflowId);
      await env.withWorker(async () => {
        await Promise.all(Array.from({ length: 10 }, () => handle.startUpdate(neverEndingUpdate, { waitForStage: 'ACCEPTED' })));
        const error = await impatient.startUpdate(neverEndingUpdate, { waitForStage: 'ACCEPTED' }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ServiceError);
        expect(((error as ServiceError).cause as { code?: number }).code).to.equal(status.RESOURCE_EXHAUSTED);
        await handle.signal(doneSignal);
        await handle.result();
      });
    } finally {
      await connection.close();
    }
  });

  it('runs an update sent to a workflow whose start is delayed, without waiting for the delay', async () => {
    const handle = await env.client.workflow.start('entity', { args: [7], taskQueue: env.taskQueue, workflowId: id('delayed'), startDelay: '1 hour' });
    await env.withWorker(async () => {
      expect(await handle.executeUpdate(setValueUpdate, { args: [8] })).to.equal(7);
      await handle.signal(doneSignal);
      expect(await handle.result()).to.equal(8);
    });
  });

  it('fails the workflow task, in history, when an update with a reserved name reaches a default handler', async () => {
    const handle = await env.client.workflow.start('takesAnyUpdate', { taskQueue: env.taskQueue, workflowId: id('reserved') });
    const name = '__temporal_update';
    await env.withWorker(async () => {
      const update = handle.executeUpdate(name).catch((e: unknown) => e);
      const failed = await eventually(async () => {
        const { events } = await handle.fetchHistory();
        return events?.findLast((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes;
      }, 'a WorkflowTaskFailed event');
      expect(failed.failure?.message).to.equal(`Cannot use update name: '${name}', with reserved prefix: '__temporal_'`);
      expect(await update).to.be.instanceOf(Error);
      await handle.signal(doneSignal);
      expect(await handle.result()).to.equal('done');
    });
  });

  it('carries an update waiting to be accepted over to the next run when the workflow continues as new', async () => {
    const queue = id('can-update');
    const handle = await env.client.workflow.start('entity', { args: [1], taskQueue: queue, workflowId: id('can-update') });
    const service = env.connection.workflowService;
    const namespace = 'default';
    // A worker of our own holds the first task while the update comes in, then continues as new.
    const task = await service.pollWorkflowTaskQueue({ namespace, taskQueue: { name: queue }, identity: 'hand-written worker' });
    const updateId = id('update');
    const stages = proto.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
    const accepted = service.updateWorkflowExecution({
      namespace,
      workflowExecution: { workflowId: handle.workflowId },
      waitPolicy: { lifecycleStage: stages.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED },
      request: { meta: { updateId }, input: { name: setValueUpdate.name, args: { payloads: [defaultPayloadConverter.toPayload(5)] } } },
    });
    const updateRef = { workflowExecution: { workflowId: handle.workflowId }, updateId };
    const admitted = { lifecycleStage: stages.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED };
    await eventually(() => service.pollWorkflowExecutionUpdate({ namespace, updateRef, waitPolicy: admitted }).then(() => true, () => false), 'the update to be admitted');
    await service.respondWorkflowTaskCompleted({
      namespace,
      taskToken: task.taskToken,
      identity: 'hand-written worker',
      commands: [
        {
          commandType: proto.temporal.api.enums.v1.CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
          continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'entity' }, taskQueue: { name: queue }, input: { payloads: [defaultPayloadConverter.toPayload(7)] } },
        },
      ],
    });
    const worker = await env.worker({ taskQueue: queue });
    await worker.runUntil(async () => {
      const answer = await accepted;
      expect(answer.updateRef?.workflowExecution?.runId).to.not.equal(handle.firstExecutionRunId);
      expect(await env.client.workflow.getHandle(handle.workflowId).getUpdateHandle<number>(updateId).result()).to.equal(7);
      await env.client.workflow.getHandle(handle.workflowId).signal(doneSignal);
    });
  });
});
