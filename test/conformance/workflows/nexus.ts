/** Workflows calling Nexus operations, and the ones that back its async operations. */
import * as nexus from 'nexus-rpc';
import type { Duration } from '@temporalio/common';
import { ApplicationFailure, CancellationScope, condition, createNexusServiceClient } from '@temporalio/workflow';

/** The service the handler worker of nexus.test.ts implements. */
export const echoService = nexus.service('echo-service', {
  /** Answers its input at once. */
  echoSync: nexus.operation<string, string>(),
  /** Answers its input through a workflow (`echoes`). */
  echoAsync: nexus.operation<string, string>(),
  /** Answers its input through a standalone activity (`echo`). */
  echoActivity: nexus.operation<string, string>(),
  /** Fails with an operation error. */
  failsSync: nexus.operation<string, string>(),
  /** Fails its first attempt with a retryable handler error, then answers. */
  flakySync: nexus.operation<string, string>(),
  /** Refuses the request with a non-retryable handler error. */
  rejects: nexus.operation<string, string>(),
  /** A workflow that fails. */
  failsAsync: nexus.operation<string, string>(),
  /** A workflow that waits until it is canceled. */
  waitsAsync: nexus.operation<string, string>(),
});

type EchoOperation = keyof typeof echoService.operations;

/** What the calling workflow saw: a result, or its error and the error's cause (by name and message). */
export interface NexusOutcome {
  result?: string;
  error?: string;
  message?: string;
  cause?: string;
  causeMessage?: string;
}

function outcomeOf(err: unknown): NexusOutcome {
  const e = err as Error & { cause?: Error };
  return { error: e.name, message: e.message, cause: e.cause?.name, causeMessage: e.cause?.message };
}

export async function callsNexus(endpoint: string, operation: EchoOperation, input: string, scheduleToCloseTimeout: Duration = '30s'): Promise<NexusOutcome> {
  const client = createNexusServiceClient({ endpoint, service: echoService });
  try {
    return { result: await client.executeOperation(operation, input, { scheduleToCloseTimeout }) };
  } catch (err) {
    return outcomeOf(err);
  }
}

/** Starts the async operation `waitsAsync`, and cancels it once it has started. */
export async function cancelsNexus(endpoint: string, input: string): Promise<NexusOutcome> {
  const client = createNexusServiceClient({ endpoint, service: echoService });
  try {
    await CancellationScope.cancellable(async () => {
      const handle = await client.startOperation('waitsAsync', input, { scheduleToCloseTimeout: '30s' });
      CancellationScope.current().cancel();
      await handle.result();
    });
    return { result: 'not canceled' };
  } catch (err) {
    return outcomeOf(err);
  }
}

export async function echoes(input: string): Promise<string> {
  return `async ${input}`;
}

export async function failsWith(message: string): Promise<string> {
  throw ApplicationFailure.nonRetryable(message, 'AsyncFailure');
}

export async function waitsForCancel(): Promise<string> {
  await condition(() => false);
  return 'never';
}
