/**
 * The HTTP/JSON API the Temporal UI calls: the Temporal API's HTTP bindings mapped onto the same
 * handler functions as gRPC (each request message goes through protobuf as it would on the wire,
 * each answer comes back as canonical JSON), plus what ui-server adds itself: its settings and
 * the history download.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { status } from '@grpc/grpc-js';
import { RpcError } from '../grpc/errors.ts';
import type { CallContext, Handlers } from '../grpc/service.ts';
import type { Logger } from '../logger.ts';
import { toPlain, type, type Msg } from '../proto.ts';
import { matchBinding, requestObject } from './bindings.ts';
import { messageJson } from './json.ts';

export interface ApiOptions {
  /** The RPCs by method name, WorkflowService's and the few OperatorService ones the UI uses. */
  handlers: Handlers;
  /** Cancel, terminate, signal, reset, update and start answer 403 unless this is set. */
  writeActions: boolean;
  defaultNamespace: string;
  uiVersion: string;
  log: Logger;
}

/** How long a call may run: the UI's long polls (history of a running workflow) end sooner. */
const CALL_DEADLINE_MS = 60_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** grpc-gateway's mapping of gRPC status codes to HTTP ones. */
const HTTP_STATUS: Record<number, number> = {
  [status.CANCELLED]: 499,
  [status.UNKNOWN]: 500,
  [status.INVALID_ARGUMENT]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400,
  [status.ABORTED]: 409,
  [status.OUT_OF_RANGE]: 400,
  [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500,
  [status.UNAVAILABLE]: 503,
  [status.DATA_LOSS]: 500,
  [status.UNAUTHENTICATED]: 401,
};

function send(res: ServerResponse, httpStatus: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(httpStatus, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** A gRPC error as grpc-gateway writes it: `{ code, message, details }` with the matching HTTP status. */
function sendError(res: ServerResponse, err: RpcError): void {
  const details = err.detail
    ? [{ '@type': `type.googleapis.com/${err.detail.typeName}`, ...(messageJson(type(err.detail.typeName), type(err.detail.typeName).fromObject(err.detail.value)) as object) }]
    : [];
  send(res, HTTP_STATUS[err.code] ?? 500, { code: err.code, message: err.message, details });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RpcError(status.RESOURCE_EXHAUSTED, 'Request body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RpcError(status.INVALID_ARGUMENT, 'Request body is not valid JSON.');
  }
}

/** Calls one RPC with a plain request object and answers its response as canonical JSON. */
async function call(handlers: Handlers, method: string, typeNames: { request: string; response: string }, request: Msg, ctx: CallContext): Promise<unknown> {
  const handler = handlers[method];
  if (!handler) throw new RpcError(status.UNIMPLEMENTED, `${method} is not implemented by embedded-temporal`);
  // Through the wire format, as the gRPC service would see it: the same defaults, the same types.
  const requestType = type(typeNames.request);
  const decodedRequest = toPlain(requestType, requestType.decode(requestType.encode(requestType.fromObject(request)).finish()));
  const response = await handler(decodedRequest, ctx);
  const responseType = type(typeNames.response);
  const bytes = Buffer.isBuffer(response) ? response : responseType.encode(responseType.fromObject(response)).finish();
  return messageJson(responseType, responseType.decode(bytes));
}

function callContext(req: IncomingMessage, res: ServerResponse): CallContext {
  const controller = new AbortController();
  // The browser went away (a closed tab, a long poll it gave up on): stop waiting for it.
  res.once('close', () => controller.abort());
  return { signal: controller.signal, deadline: Date.now() + CALL_DEADLINE_MS };
}

function settings(options: ApiOptions): Msg {
  const readOnly = !options.writeActions;
  return {
    Auth: { Enabled: false, Options: [] },
    BannerText: '',
    DefaultNamespace: options.defaultNamespace,
    ShowTemporalSystemNamespace: false,
    FeedbackURL: '',
    NotifyOnNewVersion: false,
    Codec: { Endpoint: '', PassAccessToken: false, IncludeCredentials: false },
    Version: options.uiVersion,
    DisableWriteActions: readOnly,
    WorkflowTerminateDisabled: readOnly,
    WorkflowCancelDisabled: readOnly,
    WorkflowSignalDisabled: readOnly,
    WorkflowUpdateDisabled: readOnly,
    WorkflowResetDisabled: readOnly,
    BatchActionsDisabled: true, // no batch operations in embedded-temporal
    StartWorkflowDisabled: readOnly,
    HideWorkflowQueryErrors: false,
    RefreshWorkflowCountsDisabled: false,
  };
}

const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1';
const HISTORY_JSON = /^\/api\/v1\/namespaces\/([^/]+)\/workflows\/([^/]+)\/run\/([^/]+)\/history\.json$/;

/** ui-server's download: every event of a run, as `temporal workflow show --output json` writes it. */
async function historyJson(options: ApiOptions, path: string[], ctx: CallContext): Promise<unknown> {
  const [namespace, workflowId, runId] = path.map(decodeURIComponent);
  const events: unknown[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = (await call(
      options.handlers,
      'GetWorkflowExecutionHistory',
      { request: `${WORKFLOW_SERVICE}.GetWorkflowExecutionHistoryRequest`, response: `${WORKFLOW_SERVICE}.GetWorkflowExecutionHistoryResponse` },
      { namespace, execution: { workflowId, runId }, nextPageToken: nextPageToken ? Buffer.from(nextPageToken, 'base64') : undefined },
      ctx,
    )) as { history?: { events?: unknown[] }; nextPageToken?: string };
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  return { events };
}

/** Answers a request under /api/v1. */
export async function serveApi(options: ApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const verb = req.method ?? 'GET';
  try {
    if (verb === 'GET' && url.pathname === '/api/v1/settings') return send(res, 200, settings(options));
    const download = verb === 'GET' ? HISTORY_JSON.exec(url.pathname) : null;
    if (download) {
      const body = await historyJson(options, download.slice(1), callContext(req, res));
      return send(res, 200, body, { 'content-disposition': `attachment; filename="${download[3]}.json"` });
    }
    const match = matchBinding(verb, url.pathname);
    if (!match) throw new RpcError(status.NOT_FOUND, `No API route for ${verb} ${url.pathname}.`);
    const { binding } = match;
    if (verb !== 'GET') {
      if (!options.writeActions && binding.method !== 'QueryWorkflow') {
        throw new RpcError(status.PERMISSION_DENIED, 'Write actions are disabled on this server (start it with --ui-write-actions).');
      }
      // A page of another site may not post to this one: a browser always names its origin on a POST.
      const origin = req.headers.origin;
      if (origin && new URL(origin).host !== req.headers.host) throw new RpcError(status.PERMISSION_DENIED, 'Cross-origin requests are not allowed.');
    }
    const body = binding.hasBody ? await readJson(req) : undefined;
    const request = requestObject(match, url.searchParams, body);
    const typeNames = { request: binding.requestType.fullName.slice(1), response: binding.responseType.fullName.slice(1) };
    const answer = await call(options.handlers, binding.method, typeNames, request, callContext(req, res));
    send(res, 200, answer);
  } catch (err) {
    if (err instanceof RpcError) return sendError(res, err);
    if (err instanceof SyntaxError || (err instanceof TypeError && /invalid|expected/i.test(err.message))) {
      return sendError(res, new RpcError(status.INVALID_ARGUMENT, err.message));
    }
    options.log.error({ err, path: url.pathname }, 'HTTP API call failed');
    sendError(res, new RpcError(status.INTERNAL, err instanceof Error ? err.message : String(err)));
  }
}
