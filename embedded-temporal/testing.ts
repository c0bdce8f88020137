/**
 * Test environments for workflow tests. Each returns a TestWorkflowEnvironment:
 * - with TEMPORAL_ADDRESS set, connected to that server (a real one, say);
 * - otherwise on a fresh embedded-temporal started through its bin scripts, exactly as the SDK
 *   starts the real binaries (`existing-path`).
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

/** A real-time environment (createLocal) on embedded-temporal, or on TEMPORAL_ADDRESS. */
export function createLocalEnv(): Promise<TestWorkflowEnvironment> {
  return existingServer() ?? TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: TEMPORAL_BIN } } });
}

/**
 * A time-skipping environment (createTimeSkipping) on embedded-temporal. With TEMPORAL_ADDRESS
 * set it falls back to a real-time environment on that server (a dev server cannot skip time).
 */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return existingServer() ?? TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER_BIN } } });
}

/** Alias: the local environment. */
export const createTestEnv = createLocalEnv;
