/**
 * Test environments for workflow tests, started through embedded-temporal's bin scripts exactly as
 * the SDK starts the real binaries (`existing-path`). The real-time one connects to
 * TEMPORAL_ADDRESS instead when it is set (a real server, say).
 *
 *   const env = await createTimeSkippingEnv(); // env.sleep() and result() skip timers
 *   const env = await createLocalEnv();        // real time
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_BIN = fileURLToPath(new URL('./bin/temporal', import.meta.url));
export const TEMPORAL_TEST_SERVER_BIN = fileURLToPath(new URL('./bin/temporal-test-server', import.meta.url));

function existingServer(): Promise<TestWorkflowEnvironment> | undefined {
  const address = process.env.TEMPORAL_ADDRESS;
  return address ? TestWorkflowEnvironment.createFromExistingServer({ address, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }) : undefined;
}

/**
 * The SDK gives a server it starts 5 s to listen (fixed in its core); on a loaded machine the
 * server's start (Node, TypeScript, PostgreSQL) can take longer. Such a start is tried again.
 */
async function startPatiently(start: () => Promise<TestWorkflowEnvironment>, tries = 5): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= tries || !/did not start within/.test(String(error))) throw error;
    }
  }
}

/** A real-time environment (createLocal) on embedded-temporal, or on TEMPORAL_ADDRESS. */
export function createLocalEnv(): Promise<TestWorkflowEnvironment> {
  return existingServer() ?? startPatiently(() => TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: TEMPORAL_BIN } } }));
}

/**
 * A time-skipping environment (createTimeSkipping) on embedded-temporal's test server, even when
 * TEMPORAL_ADDRESS names a real server: a dev server cannot skip time (a simulated week would take
 * a week), and Temporal's own test server is a separate binary that cannot be had here.
 */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return startPatiently(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER_BIN } } }));
}

/** Alias: the local environment. */
export const createTestEnv = createLocalEnv;
