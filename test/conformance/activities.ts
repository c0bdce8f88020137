/** Activities of the conformance suite. Attempt counters live here, per test key. */
import { ApplicationFailure, CompleteAsyncError, Context } from '@temporalio/activity';

export async function echo(text: string): Promise<string> {
  return text;
}

const attempts = new Map<string, number>();

/** Fails until its `succeedOn`-th attempt. */
export async function flaky(key: string, succeedOn: number): Promise<number> {
  const attempt = Context.current().info.attempt;
  attempts.set(key, attempt);
  if (attempt < succeedOn) throw new Error(`attempt ${attempt} failed`);
  return attempt;
}

export async function failsNonRetryable(): Promise<void> {
  throw ApplicationFailure.create({ message: 'fatal problem', type: 'Fatal' });
}

/** Heartbeats once, then goes silent until the heartbeat timeout cancels it. */
export async function stopsHeartbeating(): Promise<void> {
  Context.current().heartbeat();
  await Context.current().sleep(5000).catch(() => undefined);
}

/** Hangs on its first attempt (so the worker can be killed mid-activity), answers on the next. */
export async function slowEcho(text: string): Promise<string> {
  if (Context.current().info.attempt === 1) await new Promise((r) => setTimeout(r, 3000));
  return text;
}

/** Heartbeats until the workflow cancels it. */
export async function heartbeatsUntilCancelled(): Promise<string> {
  for (;;) {
    Context.current().heartbeat();
    await Context.current().sleep(100);
  }
}

/** Task tokens of the async activities started so far, by workflow id. */
export const asyncTaskTokens = new Map<string, Uint8Array>();

/** Leaves its completion to someone holding its task token. */
export async function completesAsync(): Promise<string> {
  const { info } = Context.current();
  asyncTaskTokens.set(info.workflowExecution?.workflowId ?? info.activityId, info.taskToken);
  throw new CompleteAsyncError();
}

const calls = new Map<string, number>();

/** Fails its first call for `key`; later calls answer which call and attempt they were. */
export async function failsFirstCall(key: string): Promise<string> {
  const call = (calls.get(key) ?? 0) + 1;
  calls.set(key, call);
  if (call === 1) throw new Error('first call fails');
  return `call ${call}, attempt ${Context.current().info.attempt}`;
}

/** What an activity learns of where it runs: a standalone one is in no workflow and has a run id of its own. */
export async function whereAmI(): Promise<{ inWorkflow: boolean; activityId: string; activityRunId?: string; workflowId?: string }> {
  const { info } = Context.current();
  return { inWorkflow: info.inWorkflow, activityId: info.activityId, activityRunId: info.activityRunId, workflowId: info.workflowExecution?.workflowId };
}
