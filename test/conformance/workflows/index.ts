/** Workflows the conformance suite drives through the SDK. */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setDefaultUpdateHandler,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities.ts';

export * from './time-skipping.ts';
export * from './search-attributes.ts';
export * from './nexus.ts';

const { echo } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });
const { flaky } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '50ms', backoffCoefficient: 2, maximumAttempts: 5 },
});
const { failsNonRetryable } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', retry: { initialInterval: '10ms', nonRetryableErrorTypes: ['Fatal'] } });
const { stopsHeartbeating } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', heartbeatTimeout: '500ms', retry: { maximumAttempts: 1 } });
const { slowEcho } = proxyActivities<typeof activities>({ startToCloseTimeout: '2s', retry: { initialInterval: '100ms' } });
const { heartbeatsUntilCancelled } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', heartbeatTimeout: '2s' });
/** No worker polls this queue: activities sent there wait until an operator moves them. */
export const UNPOLLED_QUEUE = 'nobody-polls-this-queue';
const { echo: echoOnUnpolledQueue } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', taskQueue: UNPOLLED_QUEUE });
const { failsFirstCall } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', retry: { initialInterval: '1 hour' } });
const { completesAsync } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

export const addSignal = defineSignal<[number]>('add');
export const doneSignal = defineSignal('done');
export const totalQuery = defineQuery<number>('total');
export const setValueUpdate = defineUpdate<number, [number]>('setValue');
/** An update whose handler never returns: it stays accepted until its workflow ends. */
export const neverEndingUpdate = defineUpdate<void>('neverEnding');

export async function greet(name: string): Promise<string> {
  return await echo(`Hello, ${name}!`);
}

export async function retriesActivity(key: string): Promise<number> {
  return await flaky(key, 3);
}

export async function nonRetryable(): Promise<string> {
  try {
    await failsNonRetryable();
    return 'no error';
  } catch (err) {
    return `failed: ${(err as Error & { cause?: Error }).cause?.message}`;
  }
}

export async function heartbeatTimeout(): Promise<string> {
  try {
    await stopsHeartbeating();
    return 'completed';
  } catch (err) {
    const cause = (err as Error & { cause?: Error & { timeoutType?: number } }).cause;
    return `${cause?.name}:${cause?.timeoutType}`;
  }
}

/** Sums signals until `done`; the query reads the running total. */
export async function accumulator(): Promise<number> {
  let total = 0;
  let done = false;
  setHandler(addSignal, (n) => void (total += n));
  setHandler(doneSignal, () => void (done = true));
  setHandler(totalQuery, () => total);
  await condition(() => done);
  return total;
}

/** An entity with an update that rejects negative values in its validator. */
export async function entity(initial: number): Promise<number> {
  let value = initial;
  let done = false;
  setHandler(
    setValueUpdate,
    (n) => {
      const previous = value;
      value = n;
      return previous;
    },
    {
      validator: (n) => {
        if (n < 0) throw new Error('value must not be negative');
      },
    },
  );
  setHandler(neverEndingUpdate, () => condition(() => false));
  setHandler(doneSignal, () => void (done = true));
  setHandler(totalQuery, () => value);
  await condition(() => done);
  return value;
}

export async function sleeper(ms: number): Promise<string> {
  await sleep(ms);
  return 'woke';
}

/** Waits to be cancelled, then cleans up in a non-cancellable scope. */
export async function cancellable(): Promise<string> {
  try {
    await sleep('1 day');
    return 'not cancelled';
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => echo('cleanup'));
    throw err;
  }
}

export async function parent(name: string): Promise<string> {
  const child = await executeChild(greet, { args: [name], workflowId: `${workflowInfo().workflowId}-child` });
  return `child said: ${child}`;
}

export async function countdown(n: number, total = 0): Promise<number> {
  if (n === 0) return total;
  await continueAsNew<typeof countdown>(n - 1, total + n);
  return -1;
}

export async function failing(): Promise<void> {
  throw ApplicationFailure.nonRetryable('boom', 'Boom');
}

export async function slowActivity(): Promise<string> {
  return await slowEcho('survived');
}

/** Starts a heartbeating activity, then cancels it; returns how the activity ended. */
export async function cancelsActivity(): Promise<string> {
  const scope = new CancellationScope();
  const running = scope.run(() => heartbeatsUntilCancelled());
  await sleep(300);
  scope.cancel();
  try {
    return await running;
  } catch (err) {
    return isCancellation(err) ? 'activity cancelled' : `failed: ${(err as Error).message}`;
  }
}

/** Fails on its first attempt; the workflow retry policy starts a second run, which succeeds. */
export async function succeedsOnSecondAttempt(label: string): Promise<string> {
  const { attempt } = workflowInfo();
  if (attempt < 2) throw ApplicationFailure.retryable('first attempt fails');
  return `${label} on attempt ${attempt}`;
}

/** Signals another workflow (`accumulator`) by id, then asks it to stop. */
export async function signalsAnother(targetId: string): Promise<string> {
  const target = getExternalWorkflowHandle(targetId);
  await target.signal(addSignal, 40);
  await target.signal(addSignal, 2);
  await target.signal(doneSignal);
  return 'sent';
}

/** Returns what its asynchronously completed activity returns. */
export async function awaitsAsyncActivity(): Promise<string> {
  return await completesAsync();
}

/** The run and execution timeouts the workflow sees, null when there are none. */
export async function reportsTimeouts(): Promise<{ runTimeoutMs: number | null; executionTimeoutMs: number | null }> {
  const { runTimeoutMs, executionTimeoutMs } = workflowInfo();
  return { runTimeoutMs: runTimeoutMs ?? null, executionTimeoutMs: executionTimeoutMs ?? null };
}

/** Where the workflow sits: its root workflow's id and its priority key, null when absent. */
export async function reportsLineage(): Promise<{ rootWorkflowId: string | null; priorityKey: number | null }> {
  const { root, priority } = workflowInfo();
  return { rootWorkflowId: root?.workflowId ?? null, priorityKey: priority?.priorityKey ?? null };
}

/** Starts `reportsLineage` as a child with a priority, and returns what it reports. */
export async function parentWithPriority(): Promise<{ rootWorkflowId: string | null; priorityKey: number | null }> {
  return await executeChild(reportsLineage, { workflowId: `${workflowInfo().workflowId}-child`, priority: { priorityKey: 3 } });
}

/** Accepts updates of any name (but the SDK's reserved ones) until `done`. */
export async function takesAnyUpdate(): Promise<string> {
  let done = false;
  setDefaultUpdateHandler(() => undefined);
  setHandler(doneSignal, () => void (done = true));
  await condition(() => done);
  return 'done';
}

/** Sets a search attribute the untyped way, as older workflow code does. */
export async function upsertsIntAttribute(value: number): Promise<void> {
  upsertSearchAttributes({ CustomIntField: [value] });
}

/** A nap and an activity, each with a summary for the UI. */
export async function summarized(): Promise<string> {
  await sleep(10, { summary: 'a short nap' });
  const { echo: summarizedEcho } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', summary: 'says it back' });
  return await summarizedEcho('awake');
}

/** Naps until the server suggests continuing as new (or `maxNaps` are done); returns the history length then, -1 if never. */
export async function napsUntilContinueAsNewSuggested(maxNaps: number): Promise<number> {
  for (let i = 0; i < maxNaps && !workflowInfo().continueAsNewSuggested; i++) await sleep(1);
  return workflowInfo().continueAsNewSuggested ? workflowInfo().historyLength : -1;
}

/** Hands its activity a payload of `size` characters. */
export async function echoesLarge(size: number): Promise<string> {
  return await echo('x'.repeat(size));
}

/** Its activity waits on a queue no worker polls. */
export async function echoesOnUnpolledQueue(text: string): Promise<string> {
  return await echoOnUnpolledQueue(text);
}

/** Its activity fails once, then would wait an hour for its retry. */
export async function retriesAfterAnHour(key: string): Promise<string> {
  return await failsFirstCall(key);
}
