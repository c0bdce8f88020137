import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startEnv, id, type Env } from './harness.ts';
import { addSignal, doneSignal, totalQuery } from './workflows/index.ts';

describe('conformance: workflows, activities, signals, queries', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  const start = (type: string, args: unknown[] = [], workflowId = id(type)) =>
    env.client.workflow.start(type, { args, taskQueue: env.taskQueue, workflowId });

  it('starts a workflow and returns its result', async () => {
    const result = await env.withWorker(() => env.client.workflow.execute('greet', { args: ['world'], taskQueue: env.taskQueue, workflowId: id('greet') }));
    expect(result).to.equal('Hello, world!');
  });

  it('starts a workflow eagerly on the starting worker, with the history of a normal start', async () => {
    // Eager start needs the client on the worker's own (native) connection.
    const client = new Client({ connection: env.nativeConnection });
    const eager = await env.withWorker(async () => {
      const handle = await client.workflow.start('greet', { args: ['eager'], taskQueue: env.taskQueue, workflowId: id('eager'), requestEagerStart: true });
      return { handle, result: await handle.result() };
    });
    expect(eager.handle.eagerlyStarted).to.equal(true);
    expect(eager.result).to.equal('Hello, eager!');
    const normal = await env.withWorker(() => start('greet', ['normal']).then(async (h) => (await h.result(), h)));
    const types = async (h: { fetchHistory(): Promise<{ events?: { eventType?: unknown }[] | null }> }) => (await h.fetchHistory()).events!.map((e) => e.eventType);
    expect(await types(eager.handle)).to.deep.equal(await types(normal));
    const started = (await eager.handle.fetchHistory()).events![2].workflowTaskStartedEventAttributes;
    expect(started?.identity).to.be.a('string').and.not.equal('');
  });

  it('counts the state transitions of a run in its description, more as it goes on', async () => {
    const handle = await start('greet', ['counted']);
    const transitions = async () => Number((await handle.describe()).raw.workflowExecutionInfo?.stateTransitionCount ?? 0);
    const started = await transitions();
    expect(started).to.be.at.least(1);
    await env.withWorker(() => handle.result());
    expect(await transitions()).to.be.greaterThan(started);
  });

  it('retries a failing activity with backoff until it succeeds', async () => {
    const handle = await start('retriesActivity', [id('flaky')]);
    expect(await env.withWorker(() => handle.result())).to.equal(3);
    const { pendingActivities } = await handle.describe().then((d) => d.raw);
    expect(pendingActivities ?? []).to.have.length(0);
  });

  it('does not retry non-retryable error types', async () => {
    const handle = await start('nonRetryable');
    expect(await env.withWorker(() => handle.result())).to.equal('failed: fatal problem');
  });

  it('times out an activity that stops heartbeating', async () => {
    const handle = await start('heartbeatTimeout');
    expect(await env.withWorker(() => handle.result())).to.equal('TimeoutFailure:HEARTBEAT');
  });

  it('delivers signals and answers queries', async () => {
    const handle = await start('accumulator');
    const total = await env.withWorker(async () => {
      await handle.signal(addSignal, 2);
      await handle.signal(addSignal, 3);
      expect(await handle.query(totalQuery)).to.equal(5);
      await handle.signal(doneSignal);
      return handle.result();
    });
    expect(total).to.equal(5);
  });

  it('delivers a burst of signals, arriving while the workflow works, each exactly once', async () => {
    // Signals landing during a workflow task are buffered; the worker gets them in its next task,
    // handed back in the completion's answer (returnNewWorkflowTask) rather than by a new poll.
    const handle = await start('accumulator');
    const total = await env.withWorker(async () => {
      await Promise.all(Array.from({ length: 40 }, (_, i) => handle.signal(addSignal, i + 1)));
      await handle.signal(doneSignal);
      return handle.result();
    });
    expect(total).to.equal((40 * 41) / 2);
  });

  it('cancels a workflow, which may still clean up', async () => {
    const handle = await start('cancellable');
    const error = await env.withWorker(async () => {
      await new Promise((r) => setTimeout(r, 200));
      await handle.cancel();
      return handle.result().catch((e: unknown) => e);
    });
    expect(error).to.be.instanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).to.equal('CANCELLED');
  });

  it('terminates a workflow', async () => {
    const handle = await start('sleeper', [60_000]);
    await handle.terminate('enough');
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).message).to.equal('enough');
    expect((await handle.describe()).status.name).to.equal('TERMINATED');
  });

  it('reports a workflow failure', async () => {
    const handle = await start('failing');
    const error = await env.withWorker(() => handle.result().catch((e: unknown) => e));
    expect(error).to.be.instanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause?.message).to.equal('boom');
  });

  it('runs a child workflow', async () => {
    const handle = await start('parent', ['kid']);
    expect(await env.withWorker(() => handle.result())).to.equal('child said: Hello, kid!');
    const child = await env.client.workflow.getHandle(`${handle.workflowId}-child`).describe();
    expect(child.status.name).to.equal('COMPLETED');
    expect(child.parentExecution?.workflowId).to.equal(handle.workflowId);
  });

  it('gives a child its root workflow and the priority it was started with', async () => {
    const handle = await start('parentWithPriority');
    const lineage = await env.withWorker(() => handle.result());
    expect(lineage).to.deep.equal({ rootWorkflowId: handle.workflowId, priorityKey: 3 });
    const child = await env.client.workflow.getHandle(`${handle.workflowId}-child`).describe();
    expect(child.raw.workflowExecutionInfo?.rootExecution?.workflowId).to.equal(handle.workflowId);
    const parent = await handle.describe();
    expect(parent.raw.workflowExecutionInfo?.rootExecution).to.deep.include({ workflowId: handle.workflowId, runId: parent.runId });
    const { events } = await handle.fetchHistory();
    const initiated = events!.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)!.startChildWorkflowExecutionInitiatedEventAttributes;
    expect(initiated?.priority?.priorityKey).to.equal(3);
  });

  it('signals an external workflow from a workflow', async () => {
    const target = await start('accumulator');
    const sender = await start('signalsAnother', [target.workflowId]);
    const [sent, total] = await env.withWorker(() => Promise.all([sender.result(), target.result()]));
    expect(sent).to.equal('sent');
    expect(total).to.equal(42);
  });

  it('follows a continue-as-new chain to its result', async () => {
    const handle = await start('countdown', [4]);
    expect(await env.withWorker(() => handle.result())).to.equal(10);
    const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).to.equal('CONTINUED_AS_NEW');
  });

  it('rejects a second start of a running workflow id', async () => {
    const workflowId = id('dup');
    await start('sleeper', [60_000], workflowId);
    const error = await start('sleeper', [60_000], workflowId).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WorkflowExecutionAlreadyStartedError);
    await env.client.workflow.getHandle(workflowId).terminate();
  });

  it('signal-with-start starts once, then signals', async () => {
    const workflowId = id('sws');
    const opts = { taskQueue: env.taskQueue, workflowId, signal: addSignal, signalArgs: [4] as [number] };
    const first = await env.client.workflow.signalWithStart('accumulator', opts);
    const second = await env.client.workflow.signalWithStart('accumulator', { ...opts, signalArgs: [6] as [number] });
    expect(second.signaledRunId).to.equal(first.signaledRunId);
    const total = await env.withWorker(async () => {
      await first.signal(doneSignal);
      return first.result();
    });
    expect(total).to.equal(10);
  });

  it('signal-with-start honours the workflow id conflict policy: FAIL refuses, TERMINATE_EXISTING starts afresh', async () => {
    const workflowId = id('sws-policy');
    const opts = { taskQueue: env.taskQueue, workflowId, signal: addSignal, signalArgs: [1] as [number] };
    const first = await env.client.workflow.signalWithStart('accumulator', opts);
    const refused = await env.client.workflow.signalWithStart('accumulator', { ...opts, workflowIdConflictPolicy: 'FAIL' }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(WorkflowExecutionAlreadyStartedError);
    const second = await env.client.workflow.signalWithStart('accumulator', { ...opts, signalArgs: [7], workflowIdConflictPolicy: 'TERMINATE_EXISTING' });
    expect(second.signaledRunId).to.not.equal(first.signaledRunId);
    expect((await env.client.workflow.getHandle(workflowId, first.signaledRunId).describe()).status.name).to.equal('TERMINATED');
    const total = await env.withWorker(async () => {
      await second.signal(doneSignal);
      return second.result();
    });
    expect(total).to.equal(7);
  });

  it('leaves run and execution timeouts that were not set unset, in the workflow and in its description', async () => {
    const handle = await start('reportsTimeouts');
    expect(await env.withWorker(() => handle.result())).to.deep.equal({ runTimeoutMs: null, executionTimeoutMs: null });
    const { executionConfig } = (await handle.describe()).raw;
    expect(executionConfig?.workflowExecutionTimeout).to.equal(null);
    expect(executionConfig?.workflowRunTimeout).to.equal(null);
    const timed = await env.client.workflow.start('reportsTimeouts', { taskQueue: env.taskQueue, workflowId: id('timed'), workflowRunTimeout: '1 hour' });
    expect(await env.withWorker(() => timed.result())).to.deep.equal({ runTimeoutMs: 3_600_000, executionTimeoutMs: null });
  });

  it('cancels a running activity from the workflow (the worker hears it on heartbeat)', async () => {
    const handle = await start('cancelsActivity');
    expect(await env.withWorker(() => handle.result())).to.equal('activity cancelled');
  });

  it('retries a failed workflow under its retry policy, as a new run', async () => {
    const handle = await env.client.workflow.start('succeedsOnSecondAttempt', {
      args: ['done'],
      taskQueue: env.taskQueue,
      workflowId: id('retry'),
      retry: { initialInterval: '100ms', maximumAttempts: 3 },
    });
    expect(await env.withWorker(() => handle.result())).to.equal('done on attempt 2');
  });

  it('lists and counts executions with a visibility query', async () => {
    const workflowId = id('listed');
    await env.withWorker(() => env.client.workflow.execute('greet', { args: ['list'], taskQueue: env.taskQueue, workflowId }));
    // A real server's visibility is eventually consistent: give it a moment.
    let found: string[] = [];
    for (let i = 0; i < 50 && !found.length; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      found = [];
      for await (const info of env.client.workflow.list({ query: `WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'` })) found.push(info.workflowId);
    }
    expect(found).to.deep.equal([workflowId]);
    const { count } = await env.client.workflow.count(`WorkflowType = 'greet' AND ExecutionStatus = 'Completed'`);
    expect(count).to.be.greaterThan(0);
  });
});
