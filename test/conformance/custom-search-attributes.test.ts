import { status } from '@grpc/grpc-js';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startTemporalServer } from '../../embedded-temporal/index.ts';
import { startThrowawayPostgres } from '../../embedded-temporal/throwaway-postgres.ts';
import { id, REAL_SERVER, startEnv, type Env } from './harness.ts';
import { orderStage, orderTotal, orderWeight, type OrderAttributes } from './workflows/search-attributes.ts';

const types = proto.temporal.api.enums.v1.IndexedValueType;
const ORDER_ATTRIBUTES = {
  OrderTotal: types.INDEXED_VALUE_TYPE_INT,
  OrderStage: types.INDEXED_VALUE_TYPE_KEYWORD,
  OrderPlacedAt: types.INDEXED_VALUE_TYPE_DATETIME,
  OrderTags: types.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  OrderNote: types.INDEXED_VALUE_TYPE_TEXT,
  OrderWeight: types.INDEXED_VALUE_TYPE_DOUBLE,
  OrderPaid: types.INDEXED_VALUE_TYPE_BOOL,
};

/** Registers attributes; a real server that has them from an earlier run answers ALREADY_EXISTS. */
async function register(connection: Connection, searchAttributes: Record<string, proto.temporal.api.enums.v1.IndexedValueType>): Promise<void> {
  await connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes }).catch((err: { code?: number }) => {
    if (err.code !== status.ALREADY_EXISTS) throw err;
  });
}

const rpcCode = (promise: Promise<unknown>) => promise.then(() => 'resolved', (err: { code?: number; cause?: { code?: number } }) => err.code ?? err.cause?.code);

describe('conformance: custom search attributes (OperatorService, upserts, List and Count queries)', function () {
  this.timeout(60_000);
  let env: Env;
  /** The four orders' workflow ids: a, b, c carry every attribute, d only a weight. */
  const ids = { a: id('order-a'), b: id('order-b'), c: id('order-c'), d: id('order-d') };
  const orders: Record<'a' | 'b' | 'c', OrderAttributes> = {
    a: { total: 9, stage: 'shipped', placedAt: '2026-03-01T08:00:00Z', tags: ['gift', 'express'], note: 'leave it at the back door', weight: 1.5, paid: true },
    b: { total: 10, stage: 'packing', placedAt: '2026-03-01T10:30:00+02:00', tags: ['express'], note: 'fragile glass, handle with care', weight: 12.25, paid: false },
    c: { total: 100, stage: 'shipping', placedAt: '2026-02-28T23:00:00-05:00', tags: ['fragile'], note: 'back door code 1234', weight: 0.5, paid: true },
  };

  before(async () => {
    env = await startEnv();
    await register(env.connection, ORDER_ATTRIBUTES);
    const handles: WorkflowHandle[] = [];
    await env.withWorker(async () => {
      for (const key of ['a', 'b', 'c'] as const) {
        handles.push(await env.client.workflow.start('indexedOrder', { args: [orders[key]], taskQueue: env.taskQueue, workflowId: ids[key] }));
      }
      handles.push(await env.client.workflow.start('greet', { args: ['d'], taskQueue: env.taskQueue, workflowId: ids.d, typedSearchAttributes: [{ key: orderWeight, value: 3 }] }));
      await Promise.all(handles.map((h) => h.result()));
    });
  });
  after(async () => env?.stop());

  /** The ids, as letters, of this suite's workflows that the filter matches, in the server's order. */
  const list = async (filter: string, orderBy = ''): Promise<string[]> => {
    const found: string[] = [];
    for await (const w of env.client.workflow.list({ query: `TaskQueue = '${env.taskQueue}' AND (${filter}) ${orderBy}` })) found.push(w.workflowId);
    return found.map((workflowId) => Object.entries(ids).find(([, v]) => v === workflowId)![0]);
  };
  const listSorted = async (query: string) => (await list(query)).sort();

  it('lists the attributes added through the OperatorService with their types, beside the system ones', async () => {
    const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(listed.customAttributes).to.include(ORDER_ATTRIBUTES);
    expect(listed.systemAttributes).to.include({ WorkflowId: types.INDEXED_VALUE_TYPE_KEYWORD, StartTime: types.INDEXED_VALUE_TYPE_DATETIME });
  });

  it('keeps the values a workflow upserts, typed: an Int as a number, a Datetime as a Date, a KeywordList as a list', async () => {
    const { typedSearchAttributes } = await env.client.workflow.getHandle(ids.b).describe();
    expect(typedSearchAttributes.get(orderTotal)).to.equal(10);
    expect(typedSearchAttributes.get(defineSearchAttributeKey('OrderPlacedAt', SearchAttributeType.DATETIME))).to.deep.equal(new Date('2026-03-01T08:30:00Z'));
    expect(typedSearchAttributes.get(defineSearchAttributeKey('OrderTags', SearchAttributeType.KEYWORD_LIST))).to.deep.equal(['express']);
    expect(typedSearchAttributes.get(defineSearchAttributeKey('OrderPaid', SearchAttributeType.BOOL))).to.equal(false);
    for await (const listed of env.client.workflow.list({ query: `WorkflowId = '${ids.b}'` })) {
      expect(listed.typedSearchAttributes.get(orderStage)).to.equal('packing');
    }
  });

  it('compares Int attributes as numbers (9 < 10 < 100), with =, !=, <, <=, >, >=, IN and BETWEEN', async () => {
    expect(await listSorted('OrderTotal > 9')).to.deep.equal(['b', 'c']);
    expect(await listSorted('OrderTotal >= 10 AND OrderTotal <= 10')).to.deep.equal(['b']);
    expect(await listSorted('OrderTotal < 10')).to.deep.equal(['a']);
    expect(await listSorted('OrderTotal = 100')).to.deep.equal(['c']);
    expect(await listSorted('OrderTotal != 9')).to.deep.equal(['b', 'c']);
    expect(await listSorted('OrderTotal IN (9, 100)')).to.deep.equal(['a', 'c']);
    expect(await listSorted('OrderTotal BETWEEN 9 AND 10')).to.deep.equal(['a', 'b']);
  });

  it('compares Datetime attributes as times, whatever the offset a value is written with', async () => {
    // 09:00+02:00 is 07:00Z: only c (04:00Z) is before it, though "...T08:00" sorts before "...T09:00" as text.
    expect(await listSorted(`OrderPlacedAt < '2026-03-01T09:00:00+02:00'`)).to.deep.equal(['c']);
    expect(await listSorted(`OrderPlacedAt > '2026-03-01T08:15:00Z'`)).to.deep.equal(['b']);
    expect(await listSorted(`OrderPlacedAt BETWEEN '2026-03-01T00:00:00+01:00' AND '2026-03-01T08:00:00Z'`)).to.deep.equal(['a', 'c']);
  });

  it('matches Keyword, KeywordList, Text, Double and Bool attributes by their type', async () => {
    expect(await listSorted(`OrderStage = 'packing'`)).to.deep.equal(['b']);
    expect(await listSorted(`OrderStage STARTS_WITH 'ship'`)).to.deep.equal(['a', 'c']);
    expect(await listSorted(`OrderTags = 'express'`)).to.deep.equal(['a', 'b']);
    expect(await listSorted(`OrderTags IN ('gift', 'fragile')`)).to.deep.equal(['a', 'c']);
    expect(await listSorted(`OrderTags != 'express'`)).to.deep.equal(['c']);
    expect(await listSorted(`OrderNote = 'back door'`)).to.deep.equal(['a', 'c']);
    expect(await listSorted('OrderWeight > 1.4')).to.deep.equal(['a', 'b', 'd']);
    expect(await listSorted('OrderPaid = true')).to.deep.equal(['a', 'c']);
  });

  it('finds runs without an attribute with IS NULL, and combines conditions with AND, OR and parentheses', async () => {
    expect(await listSorted('OrderStage IS NULL')).to.deep.equal(['d']);
    expect(await listSorted('OrderStage IS NOT NULL')).to.deep.equal(['a', 'b', 'c']);
    expect(await listSorted(`(OrderTotal = 9 OR OrderTotal = 100) AND OrderPaid = true AND OrderStage != 'shipped'`)).to.deep.equal(['c']);
  });

  it('orders by a custom attribute', async () => {
    expect(await list('OrderTotal IS NOT NULL', 'ORDER BY OrderTotal DESC')).to.deep.equal(['c', 'b', 'a']);
    expect(await list('OrderWeight >= 0', 'ORDER BY OrderWeight')).to.deep.equal(['c', 'a', 'd', 'b']);
  });

  it('counts over custom attributes', async () => {
    const { count } = await env.client.workflow.count(`TaskQueue = '${env.taskQueue}' AND OrderPaid = true AND OrderTotal > 50`);
    expect(count).to.equal(1);
  });

  it('refuses a query naming an unregistered attribute, or an operator its type does not take', async () => {
    expect(await rpcCode(list(`NoSuchAttribute = 'x'`))).to.equal(status.INVALID_ARGUMENT);
    expect(await rpcCode(list(`OrderNote > 'a'`))).to.equal(status.INVALID_ARGUMENT);
    expect(await rpcCode(list(`OrderTotal = 'many'`))).to.equal(status.INVALID_ARGUMENT);
  });

  it('refuses to start a workflow with an unregistered attribute', async () => {
    const unregistered = defineSearchAttributeKey('NeverRegistered', SearchAttributeType.KEYWORD);
    const start = env.client.workflow.start('greet', { args: ['x'], taskQueue: env.taskQueue, workflowId: id('unregistered'), typedSearchAttributes: [{ key: unregistered, value: 'x' }] });
    expect(await rpcCode(start)).to.equal(status.INVALID_ARGUMENT);
  });

  it('fails the workflow task of a workflow that upserts an unregistered attribute, with cause BAD_SEARCH_ATTRIBUTES', async () => {
    const handle = await env.client.workflow.start('upsertsUnregisteredAttribute', { taskQueue: env.taskQueue, workflowId: id('upserts-unregistered') });
    const cause = await env.withWorker(async () => {
      for (let i = 0; i < 200; i++) {
        const { events } = await handle.fetchHistory();
        const failed = events?.find((e) => e.workflowTaskFailedEventAttributes);
        if (failed) return failed.workflowTaskFailedEventAttributes!.cause;
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    });
    await handle.terminate('test done');
    expect(cause).to.equal(proto.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES);
  });

  it('filters ListSchedules by its query: custom attributes and TemporalSchedulePaused', async () => {
    const prefix = id('sched');
    const create = (suffix: string, stage: string, paused: boolean) =>
      env.client.schedule.create({
        scheduleId: `${prefix}-${suffix}`,
        spec: { calendars: [{ year: 2099, month: 'JANUARY', dayOfMonth: 1 }] },
        action: { type: 'startWorkflow', workflowType: 'greet', args: ['s'], taskQueue: env.taskQueue },
        typedSearchAttributes: [{ key: orderStage, value: stage }],
        state: { paused },
      });
    const handles = [await create('packing', 'packing', false), await create('shipped', 'shipped', true)];
    const ids = async (query: string) => {
      const found: string[] = [];
      for await (const s of env.client.schedule.list({ query })) if (s.scheduleId.startsWith(prefix)) found.push(s.scheduleId.slice(prefix.length + 1));
      return found.sort();
    };
    try {
      expect(await ids(`OrderStage = 'packing'`)).to.deep.equal(['packing']);
      expect(await ids('TemporalSchedulePaused = true')).to.deep.equal(['shipped']);
      expect(await ids(`OrderStage IN ('packing', 'shipped') AND TemporalSchedulePaused = false`)).to.deep.equal(['packing']);
      expect(await ids('')).to.deep.equal(['packing', 'shipped']);
      // The UI lists a schedule's runs by the attribute the schedule sets on them.
      await handles[0].trigger();
      let runs: string[] = [];
      for (let i = 0; i < 100 && !runs.length; i++, await new Promise((r) => setTimeout(r, 100))) {
        runs = [];
        for await (const w of env.client.workflow.list({ query: `TemporalScheduledById = '${prefix}-packing'` })) runs.push(w.workflowId);
      }
      expect(runs).to.have.length(1);
      await env.client.workflow.getHandle(runs[0]).terminate('test done');
    } finally {
      for (const h of handles) await h.delete();
    }
  });

  it('refuses a schedule with an unregistered attribute', async () => {
    const create = env.client.schedule.create({
      scheduleId: id('sched-unregistered'),
      spec: { calendars: [{ year: 2099, month: 'JANUARY', dayOfMonth: 1 }] },
      action: { type: 'startWorkflow', workflowType: 'greet', args: ['s'], taskQueue: env.taskQueue },
      typedSearchAttributes: [{ key: defineSearchAttributeKey('NeverRegistered', SearchAttributeType.KEYWORD), value: 'x' }],
    });
    expect(await rpcCode(create)).to.equal(status.INVALID_ARGUMENT);
  });

  it('removes an attribute: it is no longer listed, and queries naming it are refused', async () => {
    await register(env.connection, { OrderCoupon: types.INDEXED_VALUE_TYPE_KEYWORD });
    await env.connection.operatorService.removeSearchAttributes({ namespace: 'default', searchAttributes: ['OrderCoupon'] });
    const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(listed.customAttributes).not.to.have.property('OrderCoupon');
    expect(await rpcCode(list(`OrderCoupon = 'x'`))).to.equal(status.INVALID_ARGUMENT);
  });

  it('adds an attribute that exists again without error, keeping its type', async () => {
    await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: { OrderTotal: types.INDEXED_VALUE_TYPE_KEYWORD } });
    const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(listed.customAttributes).to.include({ OrderTotal: types.INDEXED_VALUE_TYPE_INT });
  });

  it('refuses to add a system attribute or to remove one that does not exist', async () => {
    const addSystem = env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: { WorkflowId: types.INDEXED_VALUE_TYPE_KEYWORD } });
    expect(await rpcCode(addSystem)).to.equal(status.INVALID_ARGUMENT);
    const removeMissing = env.connection.operatorService.removeSearchAttributes({ namespace: 'default', searchAttributes: ['NeverRegistered'] });
    expect(await rpcCode(removeMissing)).to.equal(status.NOT_FOUND);
  });
});

describe('conformance: custom search attributes survive a restart (embedded only)', function () {
  this.timeout(60_000);
  before(function () {
    if (REAL_SERVER) this.skip();
  });

  it('keeps the attributes added in each namespace, and registers those given at start beside them', async () => {
    const pg = await startThrowawayPostgres();
    try {
      let server = await startTemporalServer({ databaseUrl: pg.url, namespace: 'orders' });
      let connection = await Connection.connect({ address: server.address });
      await connection.operatorService.addSearchAttributes({ namespace: 'orders', searchAttributes: { OrderTotal: types.INDEXED_VALUE_TYPE_INT } });
      await connection.close();
      await server.stop();
      server = await startTemporalServer({ databaseUrl: pg.url, namespace: 'orders', searchAttributes: { OrderNote: 'Text' } });
      connection = await Connection.connect({ address: server.address });
      try {
        const orders = await connection.operatorService.listSearchAttributes({ namespace: 'orders' });
        const other = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        expect(orders.customAttributes).to.deep.equal({ OrderTotal: types.INDEXED_VALUE_TYPE_INT, OrderNote: types.INDEXED_VALUE_TYPE_TEXT });
        expect(other.customAttributes).to.deep.equal({ OrderNote: types.INDEXED_VALUE_TYPE_TEXT });
        const { count } = await new Client({ connection, namespace: 'orders' }).workflow.count('OrderTotal > 1');
        expect(count).to.equal(0);
      } finally {
        await connection.close();
        await server.stop();
      }
    } finally {
      await pg.stop();
    }
  });
});
