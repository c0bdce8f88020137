import type { Worker } from '@temporalio/worker';
import { startTemporalServer } from '../../embedded-temporal/index.ts';
import { connectTemporal, type TemporalGateway } from '../../api/temporal.ts';
import { createApp } from '../../api/app.ts';
import type { AppContext } from '../../api/context.ts';
import { appKeys } from '../../api/auth/app-keys.ts';
import { outboxMailer } from '../../runtime/mail/outbox-mailer.ts';
import { createPulseboardWorker } from '../../workers/worker.ts';
import { testContext, testDb } from './app.ts';
import { registerRunCleanup } from './cleanup.ts';

export interface Stack {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  worker: Worker;
}

const TASK_QUEUE = 'pulseboard-test';
let stack: Promise<Stack> | undefined;

/**
 * The whole backend for API tests, shared by every file that asks: a Temporal server (the
 * TEMPORAL_ADDRESS one when set, else embedded-temporal on the test database), one worker with
 * the real activities, and the app. Mail goes to the dev outbox table, as on a developer's machine.
 */
export function backendStack(): Promise<Stack> {
  stack ??= start();
  return stack;
}

async function start(): Promise<Stack> {
  const server = process.env.TEMPORAL_ADDRESS
    ? { address: process.env.TEMPORAL_ADDRESS, stop: async () => {} }
    : await startTemporalServer({ databaseUrl: process.env.DATABASE_URL, logLevel: 'warn' });
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const temporal = await connectTemporal(server.address, namespace, TASK_QUEUE);
  if (process.env.TEMPORAL_ADDRESS) await endLeftoverActors(temporal);
  const mailer = outboxMailer(testDb());
  const ctx = testContext({ temporal, mailer });
  const { worker, connection } = await createPulseboardWorker({
    address: server.address,
    namespace,
    taskQueue: TASK_QUEUE,
    db: testDb(),
    mailer,
    publicUrl: 'http://127.0.0.1:3000',
    linkKey: (await appKeys(ctx)).bookingLink,
    allowLoopbackTargets: ctx.config.ALLOW_LOOPBACK_TARGETS,
  });
  const running = worker.run();
  registerRunCleanup(async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await temporal.close();
    await server.stop();
  });
  return { ctx, app: createApp(ctx), worker };
}

/**
 * A real server outlives test runs, while each run has a fresh database whose ids start over: the
 * previous run's `cron-job-1` or `store-1` would otherwise take this run's signals. Ends them first.
 */
async function endLeftoverActors(temporal: TemporalGateway): Promise<void> {
  for await (const info of temporal.client.workflow.list({ query: `TaskQueue = '${TASK_QUEUE}' AND ExecutionStatus = 'Running'` })) {
    await temporal.client.workflow.getHandle(info.workflowId, info.runId).terminate('left over from an earlier test run').catch(() => undefined);
  }
}
