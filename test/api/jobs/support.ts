import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalEnv } from '../../../embedded-temporal/testing.ts';
import { bundleWorkflows } from '../../../workers/worker.ts';
import { createApp } from '../../../api/app.ts';
import type { AppContext } from '../../../api/context.ts';
import type { TemporalGateway } from '../../../api/temporal.ts';
import type { MailMessage } from '../../../runtime/mail/mailer.ts';
import { createJobActivities } from '../../../activities/jobs/activities.ts';
import { testContext, testDb } from '../../support/app.ts';
import { createOrg, signedInAs, type Session } from '../platform/helpers.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

export type ReceiverAnswer = { status: number; body?: string; headers?: Record<string, string> };

/** A job target on 127.0.0.1 that records what it gets and answers what `respond` says. */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** May take its time (a promise): the request's sender waits for the answer meanwhile. */
  respond: (request: ReceivedRequest) => ReceiverAnswer | Promise<ReceiverAnswer>;
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver = { received: [] as ReceivedRequest[], respond: () => ({ status: 200, body: 'ok' }) } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      receiver.received.push(request);
      void Promise.resolve(receiver.respond(request)).then((answer) => res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

export interface JobsHarness {
  app: ReturnType<typeof createApp>;
  ctx: AppContext;
  sent: MailMessage[];
  env: TestWorkflowEnvironment;
  stop: () => Promise<void>;
}

const TASK_QUEUE = 'jobs-api-test';

/** The real app and a worker running the real job activities, on a local embedded Temporal and the test database. */
export async function startJobsHarness(): Promise<JobsHarness> {
  const [env, workflowBundle] = await Promise.all([createLocalEnv(), bundleWorkflows()]);
  const sent: MailMessage[] = [];
  const mailer = { send: async (message: MailMessage) => void sent.push(message) };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle,
    activities: createJobActivities({ db: testDb(), mailer, config: { ALLOW_LOOPBACK_TARGETS: true, ENCRYPTION_KEYS: undefined, APP_SECRET: undefined } }),
  });
  const running = worker.run();
  const temporal: TemporalGateway = { client: env.client, address: 'embedded', namespace: 'default', taskQueue: TASK_QUEUE, reachable: () => true, noteFailure: () => false, onRecovered: () => () => {}, close: async () => {} };
  const ctx = testContext({ temporal, mailer });
  return {
    app: createApp(ctx),
    ctx,
    sent,
    env,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** A fresh organization for one test: its owner, signed in, and an API key of its own. */
export async function orgWithApiKey(app: JobsHarness['app']): Promise<{ owner: Session; orgId: number; apiKey: string }> {
  const owner = await signedInAs(app);
  const orgId = await createOrg(owner);
  const apiKey = (await owner.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', owner.csrf).send({ name: 'ci' }).expect(201)).body.key;
  return { owner, orgId, apiKey };
}

/** A port on 127.0.0.1 that nothing listens on (taken, then given back): a target that does not answer. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
