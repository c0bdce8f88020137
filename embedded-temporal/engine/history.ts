/**
 * Reading history: paged, forwards or backwards, with the long poll the client's result()
 * uses (wait for a new event, or only for the close event). A long poll that ends with nothing
 * new answers an empty page with a page token, and the client asks again.
 */
import { encodeWithHistory, type Msg } from '../proto.ts';
import type { CallContext } from '../grpc/service.ts';
import type { Engine } from './engine.ts';

const LONG_POLL_MS = 20_000;
const DEFAULT_PAGE_SIZE = 1000;

function readToken(bytes: Buffer | undefined): number | undefined {
  if (!bytes?.length) return undefined;
  const value = Number(JSON.parse(bytes.toString()).next);
  return Number.isFinite(value) ? value : undefined;
}

const token = (next: number) => Buffer.from(JSON.stringify({ next }));

export async function getHistory(engine: Engine, req: Msg, ctx: CallContext): Promise<Buffer> {
  const exec = await engine.find(req.namespace, req.execution?.workflowId ?? '', req.execution?.runId);
  const closeOnly = req.historyEventFilterType === 'HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT';
  const from = readToken(req.nextPageToken) ?? 1;
  if (req.waitNewEvent) {
    const until = Math.min(ctx.deadline - 500, Date.now() + LONG_POLL_MS);
    while (exec.isOpen && (closeOnly || exec.state.nextEventId <= from) && Date.now() < until && !ctx.signal.aborted) {
      await exec.waitForChange(until - Date.now(), ctx.signal);
    }
  }
  const history = await engine.loadHistory(exec);
  const RESPONSE = 'temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse';
  if (closeOnly) {
    if (exec.isOpen) return encodeWithHistory(RESPONSE, { nextPageToken: token(from) }, 1, []);
    return encodeWithHistory(RESPONSE, {}, 1, history.slice(-1));
  }
  const pageSize = req.maximumPageSize || DEFAULT_PAGE_SIZE;
  const events = history.slice(from - 1, from - 1 + pageSize);
  const next = from + events.length;
  const more = next <= history.length || (req.waitNewEvent && exec.isOpen);
  return encodeWithHistory(RESPONSE, { nextPageToken: more ? token(next) : undefined }, 1, events);
}

export async function getHistoryReverse(engine: Engine, req: Msg): Promise<Buffer> {
  const exec = await engine.find(req.namespace, req.execution?.workflowId ?? '', req.execution?.runId);
  const history = await engine.loadHistory(exec);
  const end = readToken(req.nextPageToken) ?? history.length;
  const pageSize = req.maximumPageSize || DEFAULT_PAGE_SIZE;
  const start = Math.max(0, end - pageSize);
  const events = history.slice(start, end).reverse();
  return encodeWithHistory(
    'temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse',
    { nextPageToken: start > 0 ? token(start) : undefined },
    1,
    events,
  );
}
