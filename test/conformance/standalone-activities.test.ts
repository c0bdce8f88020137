import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { ActivityExecutionAlreadyStartedError, ActivityExecutionFailedError, ActivityNotFoundError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { eventually } from '../support/eventually.ts';
import { startEnv, id, type Env } from './harness.ts';
import { asyncTaskTokens } from './activities.ts';

/** Standalone activities, with the SDK's own `client.activity` and a real Worker polling the task queue. */
describe('conformance: standalone activities (client.activity)', function () {
  this.timeout(60_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  const options = (prefix: string, extra: object = {}) => ({ id: id(prefix), taskQueue: env.taskQueue, startToCloseTimeout: '10s' as const, ...extra });
  /** The failure a finished activity's result() throws, with the cause the worker or server gave. */
  const failureOf = async (promise: Promise<unknown>) => {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ActivityExecutionFailedError);
    return (err as ActivityExecutionFailedError).cause;
  };

  it('runs an activity without a workflow and returns its result; it runs in no workflow, under its own run id', async () => {
    const opts = options('echo', { args: ['hello'] });
    const handle = await env.client.activity.start('echo', opts);
    expect(handle.runId).to.be.a('string').and.not.empty;
    expect(await env.withWorker(() => handle.result())).to.equal('hello');
    const where = await env.withWorker(() => env.client.activity.execute('whereAmI', options('where')));
    expect(where).to.include({ inWorkflow: false });
    expect(where.activityRunId).to.be.a('string').and.not.empty;
    expect(where.workflowId).to.equal(undefined);

    const description = await handle.describe({ includeInput: true, includeOutcome: true });
    expect(description.status).to.equal('COMPLETED');
    expect(description.activityType).to.equal('echo');
    expect(description.taskQueue).to.equal(env.taskQueue);
    expect(description.attempt).to.equal(1);
    expect(description.startToCloseTimeoutMs).to.equal(10_000);
    expect(await description.getInput()).to.deep.equal(['hello']);
    expect(await description.getResult()).to.equal('hello');
  });

  it('retries by the retry policy, and gives up on a non-retryable error type with its failure', async () => {
    const key = id('flaky');
    const retry = { initialInterval: '10ms', maximumAttempts: 5 };
    const handle = await env.client.activity.start('flaky', options('flaky', { args: [key, 3], retry }));
    expect(await env.withWorker(() => handle.result())).to.equal(3);
    expect((await handle.describe()).attempt).to.equal(3);

    const fatal = await env.client.activity.start('failsNonRetryable', options('fatal', { retry: { ...retry, nonRetryableErrorTypes: ['Fatal'] } }));
    const cause = await failureOf(env.withWorker(() => fatal.result()));
    expect(cause).to.be.instanceOf(ApplicationFailure);
    expect(cause).to.include({ message: 'fatal problem', type: 'Fatal' });
    const description = await fatal.describe({ includeLastFailure: true });
    expect(description.status).to.equal('FAILED');
    expect(description.attempt).to.equal(1);
  });

  it('times out an activity that stops heartbeating, and one no worker takes in time', async () => {
    const handle = await env.client.activity.start('stopsHeartbeating', options('silent', { heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } }));
    const cause = await failureOf(env.withWorker(() => handle.result()));
    expect(cause).to.be.instanceOf(TimeoutFailure);
    expect((cause as TimeoutFailure).timeoutType).to.equal('HEARTBEAT');
    expect((await handle.describe()).status).to.equal('TIMED_OUT');

    // Nobody polls this queue: the schedule-to-close timeout ends it.
    const waiting = await env.client.activity.start('echo', { id: id('never-taken'), taskQueue: id('unpolled'), scheduleToCloseTimeout: '1s', args: ['x'] });
    const expired = await failureOf(waiting.result());
    expect(expired).to.be.instanceOf(TimeoutFailure);
    expect((expired as TimeoutFailure).timeoutType).to.equal('SCHEDULE_TO_CLOSE');
  });

  it('cancels a running activity through its heartbeats, and one not started yet at once', async () => {
    const running = await env.client.activity.start('heartbeatsUntilCancelled', options('cancel', { heartbeatTimeout: '5s' }));
    const cause = await failureOf(
      env.withWorker(async () => {
        await eventually(async () => (await running.describe()).runState === 'STARTED', 'the activity to start');
        await running.cancel('no longer needed');
        expect((await running.describe()).runState).to.equal('CANCEL_REQUESTED');
        return running.result();
      }),
    );
    expect(cause).to.be.instanceOf(CancelledFailure);
    const description = await running.describe();
    expect(description.status).to.equal('CANCELED');
    expect(description.canceledReason).to.equal('no longer needed');

    // Nobody polls this queue: the activity waits, and is canceled without a worker's answer.
    const waiting = await env.client.activity.start('echo', { ...options('cancel-waiting'), taskQueue: id('unpolled'), args: ['x'] });
    expect((await waiting.describe()).runState).to.equal('SCHEDULED');
    await waiting.cancel('changed my mind');
    expect(await failureOf(waiting.result())).to.be.instanceOf(CancelledFailure);
  });

  it('terminates an activity; a second cancel or terminate of a closed one is refused', async () => {
    const handle = await env.client.activity.start('echo', { ...options('terminate'), taskQueue: id('unpolled'), args: ['x'] });
    await handle.terminate('stop it');
    const cause = await failureOf(handle.result());
    expect(cause).to.be.instanceOf(TerminatedFailure);
    expect(cause?.message).to.equal('stop it');
    expect((await handle.describe()).status).to.equal('TERMINATED');
    const refused = await handle.cancel('too late').then(() => undefined, (e: Error) => e);
    expect(refused?.message).to.match(/Failed to request activity cancellation/);
  });

  it('keeps activity ids unique while running (FAIL, USE_EXISTING) and applies the id reuse policy once closed', async () => {
    const queue = id('unpolled');
    const first = await env.client.activity.start('echo', { ...options('conflict'), taskQueue: queue, args: ['x'] });
    const opts = { id: first.activityId, taskQueue: queue, startToCloseTimeout: '10s' as const, args: ['y'] };
    const again = await env.client.activity.start('echo', opts).then(() => undefined, (e: unknown) => e);
    expect(again).to.be.instanceOf(ActivityExecutionAlreadyStartedError);
    const existing = await env.client.activity.start('echo', { ...opts, idConflictPolicy: 'USE_EXISTING' });
    expect(existing.runId).to.equal(first.runId);

    await first.terminate('done');
    const rejected = await env.client.activity.start('echo', { ...opts, idReusePolicy: 'REJECT_DUPLICATE' }).then(() => undefined, (e: unknown) => e);
    expect(rejected).to.be.instanceOf(ActivityExecutionAlreadyStartedError);
    // The default reuse policy allows a new run once the previous one is closed.
    const second = await env.client.activity.start('echo', { ...opts, taskQueue: env.taskQueue });
    expect(second.runId).to.not.equal(first.runId);
    expect(await env.withWorker(() => second.result())).to.equal('y');
    // The handle without a run id follows the latest run; with one, the run it names.
    expect((await env.client.activity.getHandle(first.activityId).describe()).status).to.equal('COMPLETED');
    expect((await env.client.activity.getHandle(first.activityId, first.runId).describe()).status).to.equal('TERMINATED');
  });

  it('completes asynchronously, by task token or by activity id alone', async () => {
    const byToken = await env.client.activity.start('completesAsync', options('async-token'));
    const byId = await env.client.activity.start('completesAsync', options('async-id'));
    await env.withWorker(() => eventually(() => asyncTaskTokens.has(byToken.activityId) && asyncTaskTokens.has(byId.activityId), 'both activities to run'));
    await env.client.activity.complete(asyncTaskTokens.get(byToken.activityId)!, 'by token');
    await env.client.activity.complete({ activityId: byId.activityId }, 'by id');
    expect(await byToken.result()).to.equal('by token');
    expect(await byId.result()).to.equal('by id');
  });

  it('answers NOT_FOUND for an unknown activity', async () => {
    const err = await env.client.activity.getHandle(id('nobody')).describe().then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ActivityNotFoundError);
  });

  it('lists and counts standalone activities apart from workflows', async () => {
    const queue = id('listed');
    const handles = await Promise.all([1, 2].map(() => env.client.activity.start('echo', { ...options('listed'), taskQueue: queue, args: ['x'] })));
    const query = `TaskQueue = '${queue}'`;
    const listed = [];
    for await (const info of env.client.activity.list(query)) listed.push(info);
    expect(listed.map((a) => a.activityId).sort()).to.deep.equal(handles.map((h) => h.activityId).sort());
    expect(listed.every((a) => a.status === 'RUNNING' && a.activityType === 'echo')).to.equal(true);
    expect((await env.client.activity.count(query)).count).to.equal(2);
    expect((await env.client.activity.count(`ActivityId = '${handles[0].activityId}'`)).count).to.equal(1);
    // Workflow lists do not show them.
    expect((await env.client.workflow.count(query)).count).to.equal(0);
  });

  it('pauses an activity waiting for a worker and runs it once unpaused', async () => {
    const handle = await env.client.activity.start('echo', options('paused', { args: ['after pause'] }));
    await handle.pause({ reason: 'hold on' });
    const description = await handle.describe();
    expect(description.status).to.equal('PAUSED');
    expect(description.runState).to.equal('PAUSED');
    await handle.unpause();
    expect(await env.withWorker(() => handle.result())).to.equal('after pause');
  });
});
