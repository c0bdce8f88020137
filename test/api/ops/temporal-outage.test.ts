import { expect } from 'chai';
import request from 'supertest';
import type { NativeConnection, Worker } from '@temporalio/worker';
import protos from '@temporalio/proto';
import { startTemporalServer } from '../../../embedded-temporal/index.ts';
import { connectTemporal, type TemporalGateway } from '../../../api/temporal.ts';
import { createApp } from '../../../api/app.ts';
import { appKeys } from '../../../api/auth/app-keys.ts';
import { recoverActors, watchActorRecovery } from '../../../api/actor-recovery.ts';
import { outboxMailer } from '../../../runtime/mail/outbox-mailer.ts';
import { createPulseboardWorker } from '../../../workers/worker.ts';
import { createDb, ensureDatabase, withDatabase, type Db } from '../../../db/connection.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { cronJobWorkflowId } from '../../../workflows/cron-job/definitions.ts';
import { storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';
import { testContext } from '../../support/app.ts';
import type { Stack } from '../../support/stack.ts';
import { eventually, eventuallyPasses } from '../../support/eventually.ts';
import { createOrg, signedInAs } from '../platform/helpers.ts';
import { connectStore, dashboard, shopifyOrder, shopifyWebhook, type ConnectedStore } from '../stores/support.ts';

const TASK_QUEUE = 'pulseboard-outage-test';
const { EventType } = protos.temporal.api.enums.v1;

/**
 * The workflow service goes away and comes back, as a real one does on a restart: the embedded
 * server is stopped and started again on the same port and database. This backend has a database
 * of its own (app and Temporal), so that the sweep after the outage sees only this file's stores
 * and jobs.
 */
describe('a Temporal outage', function () {
  this.timeout(120_000);
  let db: Db;
  let databaseUrl: string;
  let server: Awaited<ReturnType<typeof startTemporalServer>>;
  let temporal: TemporalGateway;
  let connection: NativeConnection;
  let running: Promise<void>;
  let stack: Stack;
  let stopWatching: () => void;

  before(function () {
    if (process.env.TEMPORAL_ADDRESS) this.skip(); // a server this test cannot stop and start
  });

  before(async () => {
    const name = `pulseboard_outage_${Date.now().toString(36)}_${process.pid}`;
    await ensureDatabase(process.env.TEST_SERVER_URL!, name);
    databaseUrl = withDatabase(process.env.TEST_SERVER_URL!, name);
    db = createDb(databaseUrl, 5);
    await migrateLatest(db);
    server = await startTemporalServer({ databaseUrl, logLevel: 'error' });
    temporal = await connectTemporal(server.address, 'default', TASK_QUEUE);
    const mailer = outboxMailer(db);
    const ctx = testContext({ db, temporal, mailer });
    let worker: Worker;
    ({ worker, connection } = await createPulseboardWorker({
      address: server.address,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      db,
      mailer,
      publicUrl: 'http://127.0.0.1:3000',
      linkKey: (await appKeys(ctx)).bookingLink,
    }));
    running = worker.run();
    stack = { ctx, app: createApp(ctx), worker };
    stopWatching = watchActorRecovery(ctx, ctx.log);
  });

  after(async () => {
    stopWatching?.();
    if (stack?.worker.getState() === 'RUNNING') stack.worker.shutdown();
    await running;
    await connection?.close();
    await temporal?.close();
    await server?.stop();
    await db?.destroy();
  });

  const stopTemporal = () => server.stop();
  const startTemporal = async () => {
    server = await startTemporalServer({ databaseUrl, port: server.port, logLevel: 'error' });
  };
  const health = () => request(stack.app).get('/health');
  const requestBackfill = (store: ConnectedStore) =>
    store.owner.agent.post(`/api/v1/orgs/${store.orgId}/stores/${store.storeId}/backfills`).set('X-CSRF-Token', store.owner.csrf).send({ days: 1 });

  it('is on /health within seconds; routes that need Temporal answer 503 at once meanwhile, and work again as soon as it is back', async () => {
    const store = await connectStore(stack, 'shopify');
    await stopTemporal();
    const stoppedAt = Date.now();
    await eventuallyPasses(
      async () => {
        const res = await health();
        expect(res.status).to.equal(503);
        expect(res.body).to.deep.equal({ status: 'degraded', database: 'ok', temporal: 'down' });
      },
      { timeoutMs: 5_000 },
    );
    expect(Date.now() - stoppedAt, 'ms until /health said down').to.be.below(5_000);

    const askedAt = Date.now();
    const refused = await requestBackfill(store);
    expect(Date.now() - askedAt, 'ms until a route needing Temporal answered').to.be.below(5_000);
    expect(refused.status).to.equal(503);
    expect(refused.type).to.equal('application/problem+json');
    expect(refused.body).to.include({ type: 'https://pulseboard.dev/problems/unavailable', status: 503 });
    expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);

    await startTemporal();
    await eventuallyPasses(async () => expect((await health()).body).to.deep.equal({ status: 'ok', database: 'ok', temporal: 'ok' }), { timeoutMs: 5_000 });
    await requestBackfill(store).expect(202);
  });

  const deliverTo = (store: ConnectedStore) => (id: number, total: string, headers: Record<string, string> = {}) =>
    shopifyWebhook(stack, store, 'orders/create', shopifyOrder(id, { total }), { 'X-Shopify-Webhook-Id': `outage-${store.storeId}-${id}`, ...headers }).expect(200);
  const windowOut = async (store: ConnectedStore) => Boolean(await db('store_ingest_windows').where({ store_id: store.storeId }).first());

  it('goes on applying the webhooks of a store whose ingest window is out while it is down: the window needs no workflow service', async () => {
    const store = await connectStore(stack, 'shopify');
    const deliver = deliverTo(store);
    await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(true));
    for (const id of [1, 2]) await deliver(id, '10.00');
    await eventuallyPasses(async () => expect((await dashboard(store)).figures.today.orders).to.equal(2));

    await stopTemporal();
    await eventuallyPasses(async () => expect((await health()).body.temporal).to.equal('down'), { timeoutMs: 5_000 });
    for (const id of [3, 4, 5]) await deliver(id, '20.00');
    await deliver(3, '20.00'); // Shopify delivers again what it thinks was lost
    await eventuallyPasses(async () => expect((await dashboard(store)).figures.today).to.include({ orders: 5, revenueMinor: 2 * 1000 + 3 * 2000 }));

    await startTemporal();
    await eventuallyPasses(async () => expect((await health()).body.temporal).to.equal('ok'), { timeoutMs: 10_000 });
    await deliver(6, '30.00');
    await eventuallyPasses(async () => expect((await dashboard(store)).figures.today).to.include({ orders: 6, revenueMinor: 2 * 1000 + 3 * 2000 + 3000 }));
    expect(await db('store_orders').where({ store_id: store.storeId }).count('* as n').first()).to.deep.equal({ n: 6 });
  });

  it('keeps the webhooks that come while it is down for a store with no window out, and applies every one of them exactly once within 10 s of its return', async () => {
    const store = await connectStore(stack, 'shopify');
    const deliver = deliverTo(store);
    const events = () => db('store_webhook_events').where({ store_id: store.storeId }).orderBy('id');

    // A store that went quiet holds no window: its actor is started again to close its window after
    // 300 ms of quiet instead of two minutes.
    const actor = temporal.client.workflow.getHandle(storeWorkflowId(store.storeId));
    await actor.terminate('started again with a short quiet time');
    await temporal.client.workflow.start('storeIngestionWorkflow', { workflowId: storeWorkflowId(store.storeId), taskQueue: TASK_QUEUE, args: [{ storeId: store.storeId, ingestWindowIdleMs: 300 }] });
    // Before the outage: applied as usual. The actor is then left idle: one stopped mid-step waits
    // out its workflow task timeout (10 s) after the restart, on any Temporal server.
    for (const id of [1, 2]) await deliver(id, '10.00');
    await eventuallyPasses(async () => expect((await dashboard(store)).figures.today.orders).to.equal(2));
    await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(false));
    const idle = async () => {
      const types = ((await actor.fetchHistory()).events ?? []).map((e) => e.eventType);
      const completed = types.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      return completed >= 0 && types.slice(completed + 1).every((type) => type === EventType.EVENT_TYPE_TIMER_STARTED);
    };
    await eventually(idle, 'the store actor to wait, with no step under way');

    await stopTemporal();
    // Some come before the API has noticed (their signals fail after the SDK's retries), some after.
    for (const id of [3, 4, 5]) await deliver(id, '20.00');
    await eventuallyPasses(async () => expect((await health()).body.temporal).to.equal('down'), { timeoutMs: 5_000 });
    const answers = [];
    for (const id of [6, 7, 8, 9]) answers.push((await deliver(id, '30.00')).body);
    answers.push((await deliver(3, '20.00')).body); // Shopify delivers again what it thinks was lost
    expect(answers).to.deep.equal([...Array(4).fill({ ok: true, duplicate: false }), { ok: true, duplicate: true }]);
    const kept = await events();
    expect(kept.map((e) => e.status)).to.deep.equal(['applied', 'applied', ...Array(7).fill('received')]);

    await startTemporal();
    const backAt = Date.now();
    await eventuallyPasses(async () => expect((await events()).map((e) => e.status)).to.deep.equal(Array(9).fill('applied')), { timeoutMs: 10_000 });
    expect(Date.now() - backAt, 'ms from the restart until every event was applied').to.be.below(10_000);

    const figures = (await dashboard(store)).figures.today;
    expect(figures).to.include({ orders: 9, revenueMinor: 2 * 1000 + 3 * 2000 + 4 * 3000 });
    expect(await db('store_orders').where({ store_id: store.storeId }).count('* as n').first()).to.deep.equal({ n: 9 });
    // Another sweep (a second API process, a restart) finds nothing left to hand over.
    expect(await recoverActors(stack.ctx)).to.include({ stores: 0, events: 0 });
  });

  it('starts a cron job actor that went missing again, with the job as it is, once Temporal is back', async () => {
    // The test before it restarted Temporal: until the API has seen it back, a new job is refused with 503.
    await eventuallyPasses(async () => expect((await health()).body.temporal).to.equal('ok'), { timeoutMs: 10_000 });
    const owner = await signedInAs(stack.app, 'customer', db);
    const orgId = await createOrg(owner, 'Outage Org');
    const job = (
      await owner.agent
        .post(`/api/v1/orgs/${orgId}/jobs`)
        .set('X-CSRF-Token', owner.csrf)
        .send({ name: 'New year', url: 'http://127.0.0.1:10/hook', schedule: { kind: 'cron', expression: '0 3 1 1 *' } })
        .expect(201)
    ).body;
    const actor = temporal.client.workflow.getHandle(cronJobWorkflowId(job.id));
    await actor.terminate('lost, as if its history had gone');

    await stopTemporal();
    await eventuallyPasses(async () => expect((await health()).body.temporal).to.equal('down'), { timeoutMs: 5_000 });
    await startTemporal();

    await eventuallyPasses(
      async () => {
        expect((await temporal.client.workflow.getHandle(cronJobWorkflowId(job.id)).describe()).status.name).to.equal('RUNNING');
        const { state } = (await owner.agent.get(`/api/v1/orgs/${orgId}/jobs/${job.id}/next_runs`).expect(200)).body;
        expect(state).to.include({ jobId: job.id, enabled: true, revision: job.revision });
        expect(state.nextRuns[0]).to.match(/^\d{4}-01-01T03:00:00/);
      },
      { timeoutMs: 10_000 },
    );
  });
});
