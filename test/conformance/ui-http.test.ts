import { expect } from 'chai';
import { type } from '../../embedded-temporal/proto.ts';
import { startUiStack, type UiStack } from '../support/temporal-ui.ts';

const WS = 'temporal.api.workflowservice.v1';

/** The gRPC answer as plain data, with what protobuf JSON changes left as protobufjs reads it. */
function grpcPlain(typeName: string, message: object): unknown {
  return type(typeName).toObject(message as never, { longs: String, enums: String, bytes: String, defaults: false });
}

const NULL_JSON = Buffer.from('null').toString('base64');

const isEmpty = (v: unknown) => v === 0 || v === '0' || v === '' || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/**
 * Field by field: the HTTP answer holds what gRPC answered, in canonical JSON: names in
 * lowerCamelCase, int64 as strings, enums by name, bytes as base64, Timestamp as RFC 3339 and
 * Duration as "Ns"; a field at its default may be left out, and nothing is added (but JSON null as
 * an empty payload's data).
 */
function expectSame(http: unknown, grpc: unknown, path = '$'): void {
  if (grpc && typeof grpc === 'object' && !Array.isArray(grpc) && typeof http === 'string') {
    const { seconds = '0', nanos = 0 } = grpc as { seconds?: string; nanos?: number };
    const ms = Number(seconds) * 1000 + nanos / 1e6;
    if (http.endsWith('s') && !http.endsWith('Z')) expect(parseFloat(http) * 1000, `${path} (Duration)`).to.be.closeTo(ms, 0.001);
    else expect(Date.parse(http), `${path} (Timestamp)`).to.equal(Math.floor(ms));
    return;
  }
  if (Array.isArray(grpc)) {
    expect(http, path).to.be.an('array').with.lengthOf(grpc.length);
    grpc.forEach((item, i) => expectSame((http as unknown[])[i], item, `${path}[${i}]`));
    return;
  }
  if (grpc && typeof grpc === 'object') {
    expect(http, path).to.be.an('object');
    const h = http as Record<string, unknown>;
    const g = grpc as Record<string, unknown>;
    // One addition: an empty payload's data is JSON null (base64 "bnVsbA=="), which the UI parses without a warning.
    for (const key of Object.keys(h)) if (!(key === 'data' && h.data === NULL_JSON && !('data' in g))) expect(g, `${path}.${key} is not in the gRPC answer`).to.have.property(key);
    for (const [key, value] of Object.entries(g)) {
      if (!(key in h) && isEmpty(value)) continue;
      expectSame(h[key], value, `${path}.${key}`);
    }
    return;
  }
  expect(http, path).to.equal(grpc);
}

describe('embedded-temporal HTTP API for the Temporal UI', function () {
  this.timeout(120_000);
  let stack: UiStack;
  let base: string;
  const get = async (path: string) => {
    const res = await fetch(`${base}/api/v1${path}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const service = () => stack.client.workflowService;

  before(async () => {
    stack = await startUiStack({ buildUi: false });
    base = stack.server.uiUrl;
  });
  after(() => stack?.stop());

  it("GET /settings: ui-server's settings, read-only by default", async () => {
    const { status, body } = await get('/settings');
    expect(status).to.equal(200);
    expect(body.Auth.Enabled).to.equal(false);
    expect(body.DefaultNamespace).to.equal('default');
    expect(body.DisableWriteActions).to.equal(true);
    expect(body.Version).to.match(/^2\.\d+\.\d+$/);
  });

  it('GET /cluster-info, /system-info', async () => {
    expectSame((await get('/cluster-info')).body, grpcPlain(`${WS}.GetClusterInfoResponse`, await service().getClusterInfo({})));
    expectSame((await get('/system-info')).body, grpcPlain(`${WS}.GetSystemInfoResponse`, await service().getSystemInfo({})));
  });

  it('GET /namespaces, /namespaces/{ns}', async () => {
    expectSame((await get('/namespaces')).body, grpcPlain(`${WS}.ListNamespacesResponse`, await service().listNamespaces({})));
    const { body } = await get('/namespaces/default');
    expect(body.namespaceInfo.name).to.equal('default');
    expect(body.config.workflowExecutionRetentionTtl).to.equal('86400s');
    expectSame(body, grpcPlain(`${WS}.DescribeNamespaceResponse`, await service().describeNamespace({ namespace: 'default' })));
  });

  it('GET /namespaces/{ns}/search-attributes: the system attributes', async () => {
    const { body } = await get('/namespaces/default/search-attributes');
    const grpc = grpcPlain(`${WS}.GetSearchAttributesResponse`, await service().getSearchAttributes({})) as { keys: object };
    expect(body.systemAttributes).to.deep.equal(grpc.keys);
    expect(body.systemAttributes.WorkflowType).to.equal('INDEXED_VALUE_TYPE_KEYWORD');
  });

  it('GET /namespaces/{ns}/workflows?query=: the visibility query, AND / OR / ORDER BY', async () => {
    const query = `WorkflowType = 'bookingWorkflow' AND (ExecutionStatus = 'Running' OR ExecutionStatus = 'Completed') AND TaskQueue = '${stack.taskQueue}' ORDER BY StartTime DESC`;
    const { body } = await get(`/namespaces/default/workflows?query=${encodeURIComponent(query)}&pageSize=10`);
    expect(body.executions.map((e: any) => e.execution.workflowId)).to.deep.equal([stack.stuckBooking.workflowId, stack.expiredBooking.workflowId]);
    expect(body.executions.map((e: any) => e.status)).to.deep.equal(['WORKFLOW_EXECUTION_STATUS_RUNNING', 'WORKFLOW_EXECUTION_STATUS_COMPLETED']);
    expectSame(body, grpcPlain(`${WS}.ListWorkflowExecutionsResponse`, await service().listWorkflowExecutions({ namespace: 'default', query, pageSize: 10 })));
    const byId = await get(`/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId = '${stack.expiredBooking.workflowId}'`)}`);
    expect(byId.body.executions).to.have.lengthOf(1);
  });

  it('GET /namespaces/{ns}/workflow-count?query=...GROUP BY ExecutionStatus', async () => {
    const query = `TaskQueue = '${stack.taskQueue}' GROUP BY ExecutionStatus`;
    const { body } = await get(`/namespaces/default/workflow-count?query=${encodeURIComponent(query)}`);
    expect(body.count).to.equal('2');
    expect(body.groups).to.have.lengthOf(2);
    expectSame(body, grpcPlain(`${WS}.CountWorkflowExecutionsResponse`, await service().countWorkflowExecutions({ namespace: 'default', query })));
  });

  it('GET /namespaces/{ns}/workflows/{id}?execution.runId=: the run with its pending activity', async () => {
    const { workflowId, firstExecutionRunId: runId } = stack.stuckBooking;
    const { body } = await get(`/namespaces/default/workflows/${workflowId}?execution.runId=${runId}`);
    expect(body.workflowExecutionInfo.type.name).to.equal('bookingWorkflow');
    expect(body.pendingActivities[0].activityType.name).to.equal('recordBookingTransition');
    const grpc = grpcPlain(`${WS}.DescribeWorkflowExecutionResponse`, await service().describeWorkflowExecution({ namespace: 'default', execution: { workflowId, runId } })) as any;
    // The activity retries meanwhile: compare what does not move.
    for (const answer of [body, grpc]) for (const a of answer.pendingActivities) for (const moving of ['attempt', 'lastStartedTime', 'lastFailure', 'nextAttemptScheduleTime', 'state', 'lastWorkerIdentity']) delete a[moving];
    delete body.workflowExecutionInfo.historyLength, delete grpc.workflowExecutionInfo.historyLength;
    delete body.workflowExecutionInfo.historySizeBytes, delete grpc.workflowExecutionInfo.historySizeBytes;
    delete body.pendingWorkflowTask, delete grpc.pendingWorkflowTask;
    expectSame(body, grpc);
  });

  it('GET /namespaces/{ns}/workflows/{id}/history: pages, payloads as base64, the result', async () => {
    const { workflowId, firstExecutionRunId: runId } = stack.expiredBooking;
    const first = await get(`/namespaces/default/workflows/${workflowId}/history?execution.runId=${runId}&maximumPageSize=3`);
    expect(first.body.history.events).to.have.lengthOf(3);
    const started = first.body.history.events[0];
    expect(started.eventType).to.equal('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    const input = started.workflowExecutionStartedEventAttributes.input.payloads[0];
    expect(Buffer.from(input.metadata.encoding, 'base64').toString()).to.equal('json/plain');
    expect(JSON.parse(Buffer.from(input.data, 'base64').toString()).bookingId).to.match(/^expired-/);
    const grpcFirst = await service().getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId }, maximumPageSize: 3 });
    expectSame(first.body, grpcPlain(`${WS}.GetWorkflowExecutionHistoryResponse`, grpcFirst));

    const rest = await get(`/namespaces/default/workflows/${workflowId}/history?execution.runId=${runId}&next_page_token=${encodeURIComponent(first.body.nextPageToken)}`);
    const last = rest.body.history.events.at(-1);
    expect(last.eventType).to.equal('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    const result = last.workflowExecutionCompletedEventAttributes.result.payloads[0];
    expect(JSON.parse(Buffer.from(result.data, 'base64').toString()).state).to.equal('expired');
    expect(rest.body.nextPageToken).to.equal(undefined);
  });

  it('GET .../history?waitNewEvent=true waits for the next event of a running workflow', async () => {
    const { workflowId, firstExecutionRunId: runId } = stack.stuckBooking;
    // A running workflow's last page ends with a token to wait on, as the UI's live history polls.
    const now = await get(`/namespaces/default/workflows/${workflowId}/history?execution.runId=${runId}&waitNewEvent=true`);
    const token = encodeURIComponent(now.body.nextPageToken);
    const waited = fetch(`${base}/api/v1/namespaces/default/workflows/${workflowId}/history?execution.runId=${runId}&waitNewEvent=true&nextPageToken=${token}`);
    await stack.stuckBooking.signal('nonexistent-signal');
    const body = (await (await waited).json()) as any;
    expect(body.history.events[0].eventType).to.equal('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
  });

  it('GET .../history-reverse: newest first', async () => {
    const { workflowId, firstExecutionRunId: runId } = stack.expiredBooking;
    const { body } = await get(`/namespaces/default/workflows/${workflowId}/history-reverse?execution.runId=${runId}&maximumPageSize=2`);
    expect(body.history.events.map((e: any) => e.eventType)[0]).to.equal('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    const grpc = await service().getWorkflowExecutionHistoryReverse({ namespace: 'default', execution: { workflowId, runId }, maximumPageSize: 2 });
    expectSame(body, grpcPlain(`${WS}.GetWorkflowExecutionHistoryReverseResponse`, grpc));
  });

  it('POST .../query/{name}: the call stack and a workflow query, answered by the worker', async () => {
    const { workflowId, firstExecutionRunId: runId } = stack.stuckBooking;
    const callStack = await post(`/namespaces/default/workflows/${workflowId}/query/__stack_trace`, { execution: { runId }, query: {} });
    expect(callStack.status).to.equal(200);
    const trace = JSON.parse(Buffer.from(callStack.body.queryResult.payloads[0].data, 'base64').toString());
    expect(trace).to.include('applyIfStill');
    const state = await post(`/namespaces/default/workflows/${workflowId}/query/state`, { execution: { runId }, query: {} });
    expect(JSON.parse(Buffer.from(state.body.queryResult.payloads[0].data, 'base64').toString()).state).to.equal('expired');
    const unknown = await post(`/namespaces/default/workflows/${workflowId}/query/nope`, { execution: { runId }, query: {} });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.message).to.match(/nope/);
  });

  it('GET /namespaces/{ns}/task-queues/{tq}?taskQueueType=: the pollers, as gRPC DescribeTaskQueue', async () => {
    // The UI names the type by number, as gRPC does: 1 workflow, 2 activity.
    for (const taskQueueType of [1, 2]) {
      const { body } = await get(`/namespaces/default/task-queues/${stack.taskQueue}?taskQueueType=${taskQueueType}`);
      expect(body.pollers).to.have.lengthOf(1);
      expect(body.pollers[0].identity).to.match(/@/);
      const grpc = await service().describeTaskQueue({ namespace: 'default', taskQueue: { name: stack.taskQueue }, taskQueueType });
      const plain = grpcPlain(`${WS}.DescribeTaskQueueResponse`, grpc) as any;
      delete body.pollers[0].lastAccessTime, delete plain.pollers[0].lastAccessTime; // polled again in between
      expectSame(body, plain);
    }
  });

  it('GET .../run/{runId}/history.json: the whole history, as a download', async () => {
    const { workflowId, firstExecutionRunId: runId } = stack.expiredBooking;
    const res = await fetch(`${base}/api/v1/namespaces/default/workflows/${workflowId}/run/${runId}/history.json`);
    expect(res.headers.get('content-disposition')).to.match(/attachment/);
    const body = (await res.json()) as any;
    const grpc = await service().getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId } });
    expectSame(body, { events: (grpcPlain(`${WS}.GetWorkflowExecutionHistoryResponse`, grpc) as any).history.events });
  });

  it('write actions answer 403; errors are { code, message, details } with the HTTP status', async () => {
    const { workflowId } = stack.stuckBooking;
    const terminate = await post(`/namespaces/default/workflows/${workflowId}/terminate`, { reason: 'from the UI' });
    expect(terminate.status).to.equal(403);
    expect(terminate.body.code).to.equal(7);
    expect((await stack.stuckBooking.describe()).status.name).to.equal('RUNNING');
    expect((await post(`/namespaces/default/workflows/${workflowId}/signal/x`, {})).status).to.equal(403);

    const missing = await get('/namespaces/default/workflows/no-such-workflow');
    expect(missing.status).to.equal(404);
    expect(missing.body).to.include({ code: 5 });
    expect(missing.body.details[0]['@type']).to.equal('type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure');
    expect((await get('/namespaces/nowhere')).status).to.equal(404);
  });
});
