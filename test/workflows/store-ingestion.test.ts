import { expect } from 'chai';
import { Context } from '@temporalio/activity';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../workers/worker.ts';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import { createActivities } from '../../activities/index.ts';
import { outboxMailer } from '../../runtime/mail/outbox-mailer.ts';
import type { ApplyEventsInput, ApplyEventsResult } from '../../activities/stores/types.ts';
import { countEventsByStatus, recordWebhookEvent } from '../../db/repositories/stores-events.ts';
import { deleteStore, findStore, insertStore, storeView, type StoreRow } from '../../db/repositories/stores.ts';
import { insertUser } from '../../db/repositories/users.ts';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';
import { storeKeyring } from '../../db/repositories/stores-keyring.ts';
import { seal } from '../../domain/jobs/secret-box.ts';
import { config } from '../../runtime/config.ts';
import { storeStatusQuery, webhookEventsSignal, type StoreIngestionInput } from '../../workflows/store-ingestion/definitions.ts';
import type { storeIngestionWorkflow } from '../../workflows/store-ingestion/workflow.ts';
import { FAKE_SHOPIFY_TOKEN, FAKE_WOO_KEY, FAKE_WOO_SECRET, startFakeStoreServer, type FakeStoreServer } from '../support/fake-store-server.ts';
import { shopifyOrder } from '../api/stores/support.ts';
import { testDb } from '../support/app.ts';
import type { Db } from '../../db/connection.ts';
import { timeSkippingEnv } from '../support/temporal.ts';
import { eventuallyPasses } from '../support/eventually.ts';

const TASK_QUEUE = 'store-ingestion-test';
const HOUR = 3_600_000;
type Activities = ReturnType<typeof createActivities>;
type Handle = Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>;

/**
 * The store actor with the real activities on the test database and a local Shopify /
 * WooCommerce API: what a merchant would see (orders, figures, alerts, store health) after the
 * actor's batches, continue-as-new, reconcile timer, GDPR shop/redact and a worker restart.
 * Activities read the wall clock while the workflow's timers are skipped: reconcile looks at
 * real "now", the timer only decides when it runs.
 */
describe('storeIngestionWorkflow (time skipping, real activities)', function () {
  this.timeout(60_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let api: FakeStoreServer;
  let activities: Activities;
  let stores = 0;
  // The run's database exists only once global setup has run, after this file is loaded.
  let db: Db;

  before(async () => {
    db = testDb();
    installQuietRuntime();
    [env, bundle, api] = await Promise.all([timeSkippingEnv(), bundleWorkflows(), startFakeStoreServer()]);
    activities = createActivities({ db, mailer: outboxMailer(db), publicUrl: 'http://127.0.0.1:3000', linkKey: new Uint8Array(32), allowLoopbackTargets: true });
  });
  after(async () => {
    await env?.teardown();
    await api?.close();
  });
  beforeEach(() => {
    api.shopifyOrders = [];
    api.wooOrders = [];
    api.shopifyPageSize = 50;
  });

  /** A store of a new organization whose owner hears of its alerts, its API on the fake server. */
  async function newStore(platform: 'shopify' | 'woocommerce', fields: Partial<StoreRow> = {}): Promise<StoreRow> {
    stores += 1;
    const owner = await insertUser(db, { email: `store-owner-${stores}-${Date.now()}@example.test`, name: 'Owner', role: 'customer', passwordHash: 'x' });
    const org = await insertOrganizationWithOwner(db, `Store org ${stores}`, owner!.id);
    const credentials = platform === 'shopify' ? { accessToken: FAKE_SHOPIFY_TOKEN } : { consumerKey: FAKE_WOO_KEY, consumerSecret: FAKE_WOO_SECRET };
    const keyring = await storeKeyring(db, config());
    const row = await insertStore(db, {
      organization_id: org.id,
      platform,
      name: `Shop ${stores}`,
      domain: `shop-${stores}-${Date.now()}.example.test`,
      api_base_url: api.baseUrl,
      credentials_sealed: seal(keyring, JSON.stringify(credentials)),
      webhook_secret_sealed: seal(keyring, 'whsec'),
      timezone: 'UTC',
      currency: 'EUR',
      high_value_threshold_minor: 1_000_000,
      low_stock_threshold: 5,
      revenue_drop_percent: 50,
    });
    if (Object.keys(fields).length) await db('stores').where({ id: row!.id }).update(fields);
    return (await findStore(db, row!.id))!;
  }

  /** A delivery stored as the webhook route stores it (signed and acknowledged); the caller decides whether it is signalled. */
  async function receive(store: StoreRow, topic: string, body: unknown): Promise<number> {
    const { id } = await recordWebhookEvent(db, { storeId: store.id, webhookId: `wh-${Math.random()}`, eventId: null, topic, triggeredAt: null, body: JSON.stringify(body), status: 'received' });
    return id!;
  }

  const windowOut = async (store: StoreRow) => Boolean(await db('store_ingest_windows').where({ store_id: store.id }).first());

  /** A delivery as the webhook route hands it over: stored, and signalled only when no ingest window was out. */
  async function deliver(store: StoreRow, handle: Handle, body: unknown): Promise<{ id: number; windowed: boolean }> {
    const { id, windowed } = await recordWebhookEvent(db, { storeId: store.id, webhookId: `wh-${Math.random()}`, eventId: null, topic: 'orders/create', triggeredAt: null, body: JSON.stringify(body), status: 'received' });
    if (!windowed) await handle.signal(webhookEventsSignal, { eventIds: [id!] });
    return { id: id!, windowed };
  }

  const historyCounts = async (handle: Handle) => {
    const { events } = await handle.fetchHistory();
    return {
      windows: events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'holdIngestWindow').length,
      batches: events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyStoreEvents').length,
      signals: events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length,
    };
  };

  async function withActor<T>(store: StoreRow, input: Partial<StoreIngestionInput>, body: (handle: Handle) => Promise<T>, use: Activities = activities): Promise<T> {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, activities: use });
    return worker.runUntil(async () => {
      const handle = await startActor(store, input);
      try {
        return await body(handle);
      } finally {
        await handle.terminate('test over').catch(() => undefined);
      }
    });
  }

  function startActor(store: StoreRow, input: Partial<StoreIngestionInput>) {
    return env.client.workflow.start<typeof storeIngestionWorkflow>('storeIngestionWorkflow', {
      workflowId: `store-test-${store.id}-${Date.now()}`,
      taskQueue: TASK_QUEUE,
      // Windows end on the worker's clock while the actor's timers skip: a quiet window (a store that
      // sends nothing) must not hold the actor for the two real minutes of production.
      args: [{ storeId: store.id, ingestWindowIdleMs: 1_000, ...input }],
    });
  }

  /** The figures a dashboard shows for the store's days, next to what its orders add up to. */
  async function figures(storeId: number) {
    const [days] = await db('store_metrics_daily').where({ store_id: storeId }).select(db.raw('coalesce(sum(revenue_minor), 0)::bigint as revenue'), db.raw('coalesce(sum(orders), 0)::int as orders'));
    const [hours] = await db('store_metrics_hourly').where({ store_id: storeId }).select(db.raw('coalesce(sum(revenue_minor), 0)::bigint as revenue'));
    const [held] = await db('store_orders').where({ store_id: storeId, counted: true }).select(db.raw('coalesce(sum(total_minor), 0)::bigint as revenue'), db.raw('count(*)::int as orders'));
    return { revenue: Number(days.revenue), orders: days.orders, hourlyRevenue: Number(hours.revenue), ordersRevenue: Number(held.revenue), ordersCounted: held.orders };
  }

  const statuses = async (ids: number[]) => (await db('store_webhook_events').whereIn('id', ids).orderBy('id').pluck('status')) as string[];
  const alerts = (storeId: number, kind: string) => db('store_alerts').where({ store_id: storeId, kind });

  it('continues as new after N events and applies every event exactly once across the boundary', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    await withActor(store, { continueAsNewAfter: 3 }, async (handle) => {
      const first = [await receive(store, 'orders/create', shopifyOrder(101, { total: '10.00', createdAt: placed })), await receive(store, 'orders/create', shopifyOrder(102, { total: '20.00', createdAt: placed }))];
      await handle.signal(webhookEventsSignal, { eventIds: first });
      await eventuallyPasses(async () => expect(await statuses(first)).to.deep.equal(['applied', 'applied']));
      // Order 101 goes up to 15.00; 103 is new; 101's first delivery is signalled again (a duplicate signal).
      const second = [
        await receive(store, 'orders/updated', shopifyOrder(101, { total: '15.00', createdAt: placed, updatedAt: new Date().toISOString() })),
        await receive(store, 'orders/create', shopifyOrder(103, { total: '30.00', createdAt: placed })),
      ];
      await handle.signal(webhookEventsSignal, { eventIds: [second[0], first[0]] });
      await handle.signal(webhookEventsSignal, { eventIds: [second[1]] });
      await eventuallyPasses(async () => expect(await statuses(second)).to.deep.equal(['applied', 'applied']));
      // The run that applied 3 or more events handed over to a new run, which keeps taking events.
      await eventuallyPasses(async () => expect((await handle.describe()).runId).not.to.equal(handle.firstExecutionRunId));
      const third = [await receive(store, 'orders/create', shopifyOrder(104, { total: '40.00', createdAt: placed }))];
      await handle.signal(webhookEventsSignal, { eventIds: third });
      await eventuallyPasses(async () => expect(await statuses(third)).to.deep.equal(['applied']));
      // An id signalled while a window was out waits in the actor until the next window takes it (which finds it applied).
      await eventuallyPasses(async () => expect((await handle.query(storeStatusQuery)).pendingEvents).to.equal(0));
    });
    expect(await figures(store.id)).to.deep.equal({ revenue: 10_500, orders: 4, hourlyRevenue: 10_500, ordersRevenue: 10_500, ordersCounted: 4 });
    // The store's health counts each delivery once: the duplicate signal did not apply 101's first version again.
    expect(await countEventsByStatus(db, store.id)).to.deep.equal({ applied: 5 });
  });

  it('catches an order only the store API knows about on the reconcile timer, and counts it once', async () => {
    const store = await newStore('shopify');
    const now = new Date().toISOString();
    api.shopifyOrders = [{ id: 201, total: '42.00', currency: 'EUR', createdAt: now, updatedAt: now, quantity: 2 }];
    await withActor(store, { reconcileEveryMinutes: 15 }, async () => {
      await env.sleep('10 minutes');
      expect(await db('store_orders').where({ store_id: store.id })).to.have.length(0);
      await env.sleep('6 minutes');
      await eventuallyPasses(async () => expect((await figures(store.id)).orders).to.equal(1));
      // A second reconcile sees the same version again: nothing moves.
      await env.sleep('15 minutes');
      await eventuallyPasses(async () => expect((await findStore(db, store.id))!.reconciled_at!.getTime()).to.be.greaterThan(Date.now() - 2_000));
    });
    expect(await figures(store.id)).to.deep.equal({ revenue: 4_200, orders: 1, hourlyRevenue: 4_200, ordersRevenue: 4_200, ordersCounted: 1 });
    // Shopify's webhooks are not flagged as quiet: only WooCommerce disables hooks.
    expect(storeView((await findStore(db, store.id))!).health.webhooksQuietSince).to.equal(null);
  });

  it('catches up on the next reconcile what a failed one could not read', async () => {
    const store = await newStore('shopify');
    const now = new Date().toISOString();
    api.shopifyOrders = [{ id: 251, total: '18.00', currency: 'EUR', createdAt: now, updatedAt: now, quantity: 1 }];
    // The merchant revoked the app's token for a while: the store API refuses the reconcile.
    const revoked = seal(await storeKeyring(db, config()), JSON.stringify({ accessToken: 'shpat_revoked' }));
    await db('stores').where({ id: store.id }).update({ credentials_sealed: revoked });
    await withActor(store, { reconcileEveryMinutes: 15 }, async () => {
      await env.sleep('16 minutes');
      await eventuallyPasses(async () => expect(storeView((await findStore(db, store.id))!).health.lastError).to.match(/reconcile: Shopify answered 401/));
      await db('stores').where({ id: store.id }).update({ credentials_sealed: store.credentials_sealed });
      await env.sleep('15 minutes');
      await eventuallyPasses(async () => expect((await figures(store.id)).orders).to.equal(1), { timeoutMs: 5_000 });
    });
    expect(await figures(store.id)).to.deep.equal({ revenue: 1_800, orders: 1, hourlyRevenue: 1_800, ordersRevenue: 1_800, ordersCounted: 1 });
  });

  it('goes on where a reconcile stopped at its page limit, so orders changed beyond it are read next time', async function () {
    this.timeout(60_000);
    const store = await newStore('shopify');
    const start = Date.now() - 30 * 60_000;
    const at = (n: number) => new Date(start + n * 60_000).toISOString();
    // 22 changed orders, one a page: a reconcile reads 20 pages (the limit), the next one the rest.
    api.shopifyPageSize = 1;
    api.shopifyOrders = Array.from({ length: 22 }, (_, n) => ({ id: 400 + n, total: '1.00', currency: 'EUR', createdAt: at(n), updatedAt: at(n), quantity: 1 }));
    await db('stores').where({ id: store.id }).update({ reconciled_at: new Date(start - 60_000) });
    expect(await activities.reconcileStore({ storeId: store.id })).to.include({ missed: 20 });
    expect((await findStore(db, store.id))!.reconciled_at!.getTime()).to.equal(Date.parse(at(19)) - 1);
    expect(await activities.reconcileStore({ storeId: store.id })).to.include({ missed: 2 });
    expect((await figures(store.id)).orders).to.equal(22);
  });

  it('reconciles on time while webhooks keep arriving, instead of waiting for a quiet moment', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    const calls: string[] = [];
    let handle!: Handle;
    const order = async (n: number) => receive(store, 'orders/create', shopifyOrder(900 + n, { total: '1.00', createdAt: placed }));
    // A busy store, in real time (the test server does not skip while an activity runs): each
    // batch takes 250 ms and ends with the next webhook signalled, ten batches, 2.5 s in all.
    const busy: Activities = {
      ...activities,
      async applyStoreEvents(input) {
        calls.push('apply');
        await new Promise((resolve) => setTimeout(resolve, 250));
        const result = await activities.applyStoreEvents(input);
        const applies = calls.filter((c) => c === 'apply').length;
        if (applies < 10) await handle.signal(webhookEventsSignal, { eventIds: [await order(applies)] });
        return result;
      },
      async reconcileStore(input) {
        calls.push('reconcile');
        return activities.reconcileStore(input);
      },
    };
    // Due 1.2 s after the start, in the middle of the flow.
    // Each batch by an activity of its own (as runs begun before ingest windows do), so a batch can be slowed.
    await withActor(
      store,
      { reconcileEveryMinutes: 0.02, ingestWindowIdleMs: 0 },
      async (started) => {
        handle = started;
        await handle.signal(webhookEventsSignal, { eventIds: [await order(0)] });
        await eventuallyPasses(async () => expect(calls.filter((c) => c === 'apply')).to.have.length(10));
      },
      busy,
    );
    expect(calls.indexOf('reconcile'), calls.join(' ')).to.be.within(1, 8);
    expect(await countEventsByStatus(db, store.id)).to.deep.equal({ applied: 10 });
  });

  it('flags a WooCommerce store whose webhooks went quiet, with one alert, when reconcile finds what they missed', async () => {
    const store = await newStore('woocommerce', { last_webhook_at: new Date(Date.now() - 3 * HOUR) });
    const now = new Date().toISOString();
    api.wooOrders = [{ id: 301, total: '12.50', currency: 'EUR', createdAt: now, updatedAt: now, quantity: 1 }];
    await withActor(store, { reconcileEveryMinutes: 15 }, async () => {
      await env.sleep('16 minutes');
      await eventuallyPasses(async () => expect(storeView((await findStore(db, store.id))!).health.webhooksQuietSince).to.be.a('string'));
      const reconciledAt = (await findStore(db, store.id))!.reconciled_at!.getTime();
      await env.sleep('15 minutes');
      await eventuallyPasses(async () => expect((await findStore(db, store.id))!.reconciled_at!.getTime()).to.be.greaterThan(reconciledAt));
    });
    expect(await alerts(store.id, 'webhooks_quiet')).to.have.length(1);
    expect(await figures(store.id)).to.deep.equal({ revenue: 1_250, orders: 1, hourlyRevenue: 1_250, ordersRevenue: 1_250, ordersCounted: 1 });
  });

  it('fires the revenue-drop alert once for last hour versus the same hour last week, however often reconcile runs', async () => {
    // Keep the whole test inside one wall-clock hour: "last hour" is the activity's real clock.
    const toNextHour = HOUR - (Date.now() % HOUR);
    if (toNextHour < 20_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 100));
    const store = await newStore('shopify');
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR - HOUR + 5 * 60_000;
    const at = (ms: number) => new Date(ms).toISOString();
    const owner = await db('memberships as m').join('users as u', 'u.id', 'm.user_id').where('m.organization_id', store.organization_id).first('u.email');
    await withActor(store, { reconcileEveryMinutes: 15 }, async (handle) => {
      const ids = [
        await receive(store, 'orders/create', shopifyOrder(401, { total: '100.00', createdAt: at(lastHour - 7 * 24 * HOUR) })),
        await receive(store, 'orders/create', shopifyOrder(402, { total: '20.00', createdAt: at(lastHour) })),
      ];
      await handle.signal(webhookEventsSignal, { eventIds: ids });
      await eventuallyPasses(async () => expect(await statuses(ids)).to.deep.equal(['applied', 'applied']));
      await env.sleep('16 minutes');
      await eventuallyPasses(async () => expect(await alerts(store.id, 'revenue_drop')).to.have.length(1));
      const reconciledAt = (await findStore(db, store.id))!.reconciled_at!.getTime();
      await env.sleep('15 minutes');
      await eventuallyPasses(async () => expect((await findStore(db, store.id))!.reconciled_at!.getTime()).to.be.greaterThan(reconciledAt));
    });
    const [alert] = await alerts(store.id, 'revenue_drop');
    expect(alert.data).to.include({ currentMinor: 2_000, lastWeekMinor: 10_000 });
    expect(await alerts(store.id, 'revenue_drop')).to.have.length(1);
    expect(await db('dev_outbox').where({ to_address: owner.email, subject: alert.title })).to.have.length(1);
  });

  it('re-queues events whose signal was lost and applies each once', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    await withActor(store, { reconcileEveryMinutes: 15 }, async () => {
      // The window the actor opens at its start closes for quiet; from then on only a signal or the reconcile brings one.
      await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(true));
      await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(false));
      const stranded = [await receive(store, 'orders/create', shopifyOrder(501, { total: '7.00', createdAt: placed })), await receive(store, 'orders/create', shopifyOrder(502, { total: '8.00', createdAt: placed }))];
      // Acknowledged five minutes ago, and the API died before signalling the actor.
      await db('store_webhook_events').whereIn('id', stranded).update({ received_at: new Date(Date.now() - 5 * 60_000) });
      await env.sleep('10 minutes');
      expect(await statuses(stranded)).to.deep.equal(['received', 'received']);
      await env.sleep('6 minutes');
      await eventuallyPasses(async () => expect(await statuses(stranded)).to.deep.equal(['applied', 'applied']));
    });
    expect(await figures(store.id)).to.deep.equal({ revenue: 1_500, orders: 2, hourlyRevenue: 1_500, ordersRevenue: 1_500, ordersCounted: 2 });
  });

  it('stops the actor on shop/redact and leaves none of the store data behind', async () => {
    const store = await newStore('shopify');
    await withActor(store, {}, async (handle) => {
      const orders = [await receive(store, 'orders/create', shopifyOrder(601, { total: '9.00' })), await receive(store, 'carts/create', { id: 'c1', token: 'cart-601', created_at: new Date().toISOString(), line_items: [] })];
      await handle.signal(webhookEventsSignal, { eventIds: orders });
      await eventuallyPasses(async () => expect(await statuses(orders)).to.deep.equal(['applied', 'applied']));
      await handle.signal(webhookEventsSignal, { eventIds: [await receive(store, 'shop/redact', { shop_id: 1, shop_domain: store.domain })] });
      await handle.result();
      expect((await handle.describe()).status.name).to.equal('COMPLETED');
    });
    const tables: string[] = await db('information_schema.columns').where({ table_schema: db.raw('current_schema()'), column_name: 'store_id' }).pluck('table_name');
    expect(tables).to.include.members(['store_orders', 'store_webhook_events', 'store_metrics_daily', 'store_carts']);
    for (const table of tables) expect(await db(table).where({ store_id: store.id }), table).to.have.length(0);
    expect(await findStore(db, store.id)).to.equal(null);
  });

  it('counts a batch once when the worker dies after committing it and another worker retries it', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    let committed!: () => void;
    const batchCommitted = new Promise<void>((resolve) => (committed = resolve));
    // Worker A applies the batch, then never reports back: it is shut down with the activity in hand.
    const dying: Activities = {
      ...activities,
      async applyStoreEvents(input) {
        await activities.applyStoreEvents(input);
        committed();
        await Context.current().cancelled;
        throw new Error('unreachable: the worker is going away');
      },
    };
    const retried: Array<{ input: ApplyEventsInput; result: ApplyEventsResult }> = [];
    const recording: Activities = {
      ...activities,
      async applyStoreEvents(input) {
        const result = await activities.applyStoreEvents(input);
        retried.push({ input, result });
        return result;
      },
    };
    const workerA = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, activities: dying, shutdownGraceTime: '100 ms' });
    const runningA = workerA.run();
    // Each batch by an activity of its own (as runs begun before ingest windows do); ingest-windows.test.ts kills a window's worker.
    const handle = await startActor(store, { ingestWindowIdleMs: 0 });
    const batch = [await receive(store, 'orders/create', shopifyOrder(701, { total: '11.00', createdAt: placed })), await receive(store, 'orders/create', shopifyOrder(702, { total: '22.00', createdAt: placed }))];
    await handle.signal(webhookEventsSignal, { eventIds: batch });
    await batchCommitted;
    workerA.shutdown();
    await runningA;
    try {
      const workerB = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, activities: recording });
      await workerB.runUntil(async () => {
        // Past the activity's start-to-close timeout, in case the dying attempt was never reported.
        await env.sleep('3 minutes');
        await eventuallyPasses(async () => expect(retried.map((r) => r.input.eventIds)).to.deep.include(batch));
        const more = [await receive(store, 'orders/create', shopifyOrder(703, { total: '33.00', createdAt: placed }))];
        await handle.signal(webhookEventsSignal, { eventIds: more });
        await eventuallyPasses(async () => expect(await statuses(more)).to.deep.equal(['applied']));
      });
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
    expect(retried.find((r) => String(r.input.eventIds) === String(batch))!.result).to.include({ applied: 0, stale: 0 });
    expect(await countEventsByStatus(db, store.id)).to.deep.equal({ applied: 3 });
    expect(await figures(store.id)).to.deep.equal({ revenue: 6_600, orders: 3, hourlyRevenue: 6_600, ordersRevenue: 6_600, ordersCounted: 3 });
  });
  it('applies a quiet store\'s next burst of webhooks in one ingest window, each once, with one signal in all', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    await withActor(store, {}, async (handle) => {
      // From a quiet store: the window of the actor's start has closed.
      await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(true));
      await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(false));
      const first = await deliver(store, handle, shopifyOrder(1101, { total: '1.00', createdAt: placed }));
      expect(first.windowed).to.equal(false);
      await eventuallyPasses(async () => expect(await statuses([first.id])).to.deep.equal(['applied']));
      const later: number[] = [];
      for (let n = 2; n <= 6; n++) {
        const delivery = await deliver(store, handle, shopifyOrder(1100 + n, { total: `${n}.00`, createdAt: placed }));
        expect(delivery.windowed, `delivery ${n}`).to.equal(true);
        later.push(delivery.id);
      }
      await eventuallyPasses(async () => expect(await statuses(later)).to.deep.equal(['applied', 'applied', 'applied', 'applied', 'applied']));
      expect(await historyCounts(handle)).to.deep.equal({ windows: 2, batches: 0, signals: 1 });
    });
    expect(await figures(store.id)).to.deep.equal({ revenue: 2_100, orders: 6, hourlyRevenue: 2_100, ordersRevenue: 2_100, ordersCounted: 6 });
  });

  it('opens a window when it starts: what was received before is applied at once, and the next delivery needs no signal', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    // Received while the store had no actor (just connected, or its last run ended).
    const waiting = await receive(store, 'orders/create', shopifyOrder(1101, { total: '4.00', createdAt: placed }));
    await withActor(store, { ingestWindowIdleMs: 5_000 }, async (handle) => {
      await eventuallyPasses(async () => expect(await statuses([waiting])).to.deep.equal(['applied']));
      const next = await deliver(store, handle, shopifyOrder(1102, { total: '5.00', createdAt: placed }));
      expect(next.windowed).to.equal(true);
      await eventuallyPasses(async () => expect(await statuses([next.id])).to.deep.equal(['applied']));
      expect(await historyCounts(handle)).to.deep.equal({ windows: 1, batches: 0, signals: 0 });
    });
    expect(await figures(store.id)).to.deep.equal({ revenue: 900, orders: 2, hourlyRevenue: 900, ordersRevenue: 900, ordersCounted: 2 });
  });

  it('hands windows over across continue-as-new and quiet spells without losing or doubling an event', async () => {
    const store = await newStore('shopify');
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    const ids: number[] = [];
    await withActor(store, { continueAsNewAfter: 3, ingestWindowIdleMs: 300 }, async (handle) => {
      for (let n = 1; n <= 12; n++) {
        ids.push((await deliver(store, handle, shopifyOrder(1200 + n, { total: '1.00', createdAt: placed }))).id);
        // Now and then long enough for the window to close for quiet: the next delivery is signalled.
        await new Promise((resolve) => setTimeout(resolve, n % 4 === 0 ? 800 : 20));
      }
      await eventuallyPasses(async () => expect(new Set(await statuses(ids))).to.deep.equal(new Set(['applied'])));
      expect((await handle.describe()).runId).not.to.equal(handle.firstExecutionRunId);
    });
    expect(await countEventsByStatus(db, store.id)).to.deep.equal({ applied: 12 });
    expect(await figures(store.id)).to.deep.equal({ revenue: 1_200, orders: 12, hourlyRevenue: 1_200, ordersRevenue: 1_200, ordersCounted: 12 });
  });

  it('lets go of a window whose run was terminated at its next heartbeat, row and all: the next delivery signals a new actor', async () => {
    const store = await newStore('shopify');
    await withActor(store, { ingestWindowIdleMs: 600_000 }, async (handle) => {
      await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(true));
      await handle.terminate('lost');
      await eventuallyPasses(async () => expect(await windowOut(store)).to.equal(false), { timeoutMs: 25_000 });
      const { windowed } = await recordWebhookEvent(db, { storeId: store.id, webhookId: `wh-${Math.random()}`, eventId: null, topic: 'orders/create', triggeredAt: null, body: JSON.stringify(shopifyOrder(1401, { total: '1.00' })), status: 'received' });
      expect(windowed).to.equal(false);
    });
  });

  it('ends the actor once its store is deleted while a window is out, without waiting for the window to go quiet', async () => {
    const store = await newStore('shopify');
    await withActor(store, { ingestWindowIdleMs: 600_000 }, async (handle) => {
      const first = await deliver(store, handle, shopifyOrder(1301, { total: '1.00' }));
      await eventuallyPasses(async () => expect(await statuses([first.id])).to.deep.equal(['applied']));
      expect(await windowOut(store)).to.equal(true);
      // Deleting names the store to its window's process, which finds it gone.
      expect(await deleteStore(db, store.id)).to.equal(true);
      await handle.result();
      expect((await handle.describe()).status.name).to.equal('COMPLETED');
    });
  });
});
