import { expect } from 'chai';
import proto from '@temporalio/proto';
import { after, before, describe, it } from 'mocha';
import { eventually } from '../support/eventually.ts';
import { startEnv, id, type Env } from './harness.ts';
import { addSignal, doneSignal } from './workflows/index.ts';

const { PendingActivityState } = proto.temporal.api.enums.v1;

describe('conformance: operator control of activities and tasks (the UI buttons)', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  const namespace = 'default';
  const pendingActivity = async (workflowId: string) => (await env.client.workflow.getHandle(workflowId).describe()).raw.pendingActivities?.[0];

  it('pauses a waiting activity, moves it to another task queue and unpauses it: it then runs', async () => {
    const handle = await env.client.workflow.start('echoesOnUnpolledQueue', { args: ['moved'], taskQueue: env.taskQueue, workflowId: id('paused') });
    const result = await env.withWorker(async () => {
      const activity = await eventually(() => pendingActivity(handle.workflowId), 'the activity to be scheduled');
      const execution = { workflowId: handle.workflowId };
      await env.connection.workflowService.pauseActivity({ namespace, execution, id: activity.activityId, identity: 'operator', reason: 'moving it' });
      const paused = await pendingActivity(handle.workflowId);
      expect(paused?.paused).to.equal(true);
      expect(paused?.state).to.equal(PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
      expect(paused?.pauseInfo?.manual?.reason).to.equal('moving it');
      const { activityOptions } = await env.connection.workflowService.updateActivityOptions({
        namespace,
        execution,
        id: activity.activityId,
        activityOptions: { taskQueue: { name: env.taskQueue } },
        updateMask: { paths: ['task_queue_name'] },
      });
      expect(activityOptions?.taskQueue?.name).to.equal(env.taskQueue);
      await env.connection.workflowService.unpauseActivity({ namespace, execution, id: activity.activityId, identity: 'operator' });
      return handle.result();
    });
    expect(result).to.equal('moved');
  });

  it('resets a retrying activity to attempt 1 and runs it at once instead of after its backoff', async () => {
    const handle = await env.client.workflow.start('retriesAfterAnHour', { args: [id('key')], taskQueue: env.taskQueue, workflowId: id('reset') });
    const result = await env.withWorker(async () => {
      const waiting = await eventually(async () => {
        const activity = await pendingActivity(handle.workflowId);
        return activity?.attempt === 2 && activity;
      }, 'the activity to wait for its second attempt');
      await env.connection.workflowService.resetActivity({ namespace, execution: { workflowId: handle.workflowId }, id: waiting.activityId, identity: 'operator' });
      return handle.result();
    });
    expect(result).to.equal('call 2, attempt 1');
  });

  it('resets the sticky task queue of a run: its next task goes to any worker, and it carries on', async () => {
    const handle = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId: id('sticky') });
    const total = await env.withWorker(async () => {
      await handle.signal(addSignal, 1);
      await env.connection.workflowService.resetStickyTaskQueue({ namespace, execution: { workflowId: handle.workflowId } });
      await handle.signal(addSignal, 2);
      await handle.signal(doneSignal);
      return handle.result();
    });
    expect(total).to.equal(3);
  });
});
