/**
 * DescribeTaskQueue for the UI's Workers tab: which workers polled a task queue lately, as the
 * real matching service reports them. The engine's matching only keeps the polls waiting right
 * now, so the poll handlers are wrapped to note each poller's last poll.
 */
import { invalidArgument } from '../grpc/errors.ts';
import type { Handlers } from '../grpc/service.ts';
import { Matching } from '../engine/matching.ts';
import type { Engine } from '../engine/engine.ts';
import { timestamp, type Msg } from '../proto.ts';

/** The real server forgets a poller it has not seen for five minutes. */
const POLLER_TTL_MS = 5 * 60_000;
/** What the real server reports when a worker sets no rate limit. */
const DEFAULT_RATE_PER_SECOND = 100_000;

type Kind = 'workflow' | 'activity';

export class PollerRegistry {
  /** Queue key -> identity -> epoch ms of its last poll. */
  private readonly seen = new Map<string, Map<string, number>>();

  /** `handlers` with their two poll RPCs noting who polled which queue. */
  recording(handlers: Handlers): Handlers {
    const noting = (kind: Kind, handler: Handlers[string]): Handlers[string] => (req, ctx) => {
      // A sticky queue belongs to one worker; its normal queue is the one the UI describes.
      const queue = req.taskQueue?.kind === 'TASK_QUEUE_KIND_STICKY' ? req.taskQueue?.normalName : req.taskQueue?.name;
      if (queue) this.note(Matching.key(req.namespace, kind, queue), req.identity ?? '');
      return handler(req, ctx);
    };
    return {
      ...handlers,
      PollWorkflowTaskQueue: noting('workflow', handlers.PollWorkflowTaskQueue),
      PollActivityTaskQueue: noting('activity', handlers.PollActivityTaskQueue),
    };
  }

  private note(key: string, identity: string): void {
    let pollers = this.seen.get(key);
    if (!pollers) this.seen.set(key, (pollers = new Map()));
    pollers.set(identity, Date.now());
  }

  pollers(key: string): { identity: string; lastAccessTime: number }[] {
    const pollers = this.seen.get(key);
    if (!pollers) return [];
    const since = Date.now() - POLLER_TTL_MS;
    for (const [identity, at] of pollers) if (at < since) pollers.delete(identity);
    return [...pollers].map(([identity, lastAccessTime]) => ({ identity, lastAccessTime }));
  }
}

/** temporal.api.workflowservice.v1.WorkflowService/DescribeTaskQueue, classic mode. */
export function describeTaskQueue(engine: Engine, registry: PollerRegistry, req: Msg): Msg {
  engine.requireNamespace(req.namespace);
  const name = req.taskQueue?.name;
  if (!name) throw invalidArgument('TaskQueue is not set on request.');
  const kind: Kind = req.taskQueueType === 'TASK_QUEUE_TYPE_ACTIVITY' ? 'activity' : 'workflow';
  const key = Matching.key(req.namespace, kind, name);
  return {
    pollers: registry
      .pollers(key)
      .sort((a, b) => b.lastAccessTime - a.lastAccessTime)
      .map((p) => ({ identity: p.identity, lastAccessTime: timestamp(p.lastAccessTime), ratePerSecond: DEFAULT_RATE_PER_SECOND })),
    stats: req.reportStats ? { approximateBacklogCount: engine.matching.backlog(key) } : undefined,
  };
}
