import { status } from '@grpc/grpc-js';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { eventually } from '../support/eventually.ts';
import { startEnv, id, type Env } from './harness.ts';
import { addSignal, doneSignal, totalQuery } from './workflows/index.ts';

const { EventType, WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;

describe('conformance: resetting a workflow (the UI reset button)', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it('resets to the first workflow task: a new run replays from there, with the later signals reapplied', async () => {
    const workflowId = id('reset');
    const handle = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId });
    const total = await env.withWorker(async () => {
      await handle.signal(addSignal, 5);
      await handle.signal(addSignal, 7);
      await eventually(async () => (await handle.query(totalQuery)) === 12, 'both signals to be handled');
      const { events } = await handle.fetchHistory();
      const firstTaskCompleted = events!.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!;
      const { runId } = await env.connection.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId, runId: handle.firstExecutionRunId },
        workflowTaskFinishEventId: firstTaskCompleted.eventId,
        reason: 'try again',
        requestId: id('request'),
      });
      expect(runId).to.be.a('string').and.not.equal(handle.firstExecutionRunId);
      const reset = env.client.workflow.getHandle(workflowId);
      expect(await reset.query(totalQuery)).to.equal(12);
      await reset.signal(doneSignal);
      return reset.result();
    });
    expect(total).to.equal(12);
    expect((await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe()).status.name).to.equal('TERMINATED');
    const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const failed = events!.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)?.workflowTaskFailedEventAttributes;
    expect(failed?.cause).to.equal(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    expect(failed?.baseRunId).to.equal(handle.firstExecutionRunId);
  });

  it('refuses a reset point that is not the end of a workflow task', async () => {
    const handle = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId: id('bad-reset') });
    const { events } = await handle.fetchHistory();
    const error = await env.connection.workflowService
      .resetWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: handle.workflowId }, workflowTaskFinishEventId: events![0].eventId, requestId: id('r') })
      .catch((e: { code?: number }) => e.code);
    expect(error).to.equal(status.INVALID_ARGUMENT);
    await handle.terminate();
  });
});
