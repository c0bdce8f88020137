/**
 * Queries. A query waits until the run has no workflow task scheduled or running (the worker
 * must have seen every event first), then goes to a worker as a query task: the full history
 * plus the query, answered by RespondQueryTaskCompleted. Nothing is persisted: a query that
 * outlives a restart is simply retried by the client.
 */
import { randomUUID } from 'node:crypto';
import { deadlineExceeded, queryFailed } from '../grpc/errors.ts';
import { encodeWithHistory, type Msg } from '../proto.ts';
import type { CallContext } from '../grpc/service.ts';
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import { encodeQueryToken } from './task-token.ts';
import { workflowQueue } from './workflow-tasks.ts';

const MAX_QUERY_WAIT_MS = 60_000;
const POLL_RESPONSE = 'temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse';

interface PendingQuery {
  exec: Execution;
  query: Msg;
  answer: (response: Msg) => void;
}

export class Queries {
  private pending = new Map<string, PendingQuery>();

  get size(): number {
    return this.pending.size;
  }

  async query(engine: Engine, exec: Execution, req: Msg, ctx: CallContext): Promise<Msg> {
    const until = Math.min(ctx.deadline - 500, Date.now() + MAX_QUERY_WAIT_MS);
    const rejectIfClosed = req.queryRejectCondition === 'QUERY_REJECT_CONDITION_NOT_OPEN';
    while (exec.isOpen && exec.state.wft) {
      if (Date.now() >= until || ctx.signal.aborted) throw deadlineExceeded('query timed out waiting for the workflow task');
      await exec.waitForChange(until - Date.now(), ctx.signal);
    }
    if (rejectIfClosed && !exec.isOpen) return { queryRejected: { status: exec.state.status } };
    const queryId = randomUUID();
    const answered = new Promise<Msg>((resolve) => this.pending.set(queryId, { exec, query: req.query, answer: resolve }));
    engine.matching.offer(workflowQueue(engine, exec.state), { kind: 'query', runId: exec.runId, queryId });
    const timeout = new Promise<null>((resolve) => {
      const timer = setTimeout(() => resolve(null), Math.max(0, until - Date.now()));
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(null);
      });
      void answered.then(() => clearTimeout(timer));
    });
    const response = await Promise.race([answered, timeout]);
    this.pending.delete(queryId);
    engine.onIdleCheck();
    if (!response) throw deadlineExceeded('query timed out: no worker answered');
    if (response.completedType !== 'QUERY_RESULT_TYPE_ANSWERED') {
      throw queryFailed(response.errorMessage || 'query failed', response.failure);
    }
    return { queryResult: response.queryResult };
  }

  /** Whether a query waits on this run: its task names the run, which must stay in memory until it is answered. */
  waitsOn(runId: string): boolean {
    for (const q of this.pending.values()) if (q.exec.runId === runId) return true;
    return false;
  }

  /** The poll response for a query task, or null if nobody waits for the answer anymore. */
  async startTask(engine: Engine, queryId: string): Promise<Buffer | null> {
    const q = this.pending.get(queryId);
    if (!q) return null;
    const s = q.exec.state;
    const history = await engine.loadHistory(q.exec);
    return encodeWithHistory(
      POLL_RESPONSE,
      {
        taskToken: encodeQueryToken({ namespaceId: engine.requireNamespace(s.namespace).id, taskQueue: s.taskQueue, taskId: queryId }),
        workflowExecution: { workflowId: s.workflowId, runId: s.runId },
        workflowType: { name: s.workflowType },
        previousStartedEventId: s.previousStartedEventId,
        startedEventId: s.previousStartedEventId,
        attempt: 1,
        query: q.query,
        workflowExecutionTaskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      },
      8,
      history,
    );
  }

  answer(queryId: string, response: Msg): void {
    this.pending.get(queryId)?.answer(response);
  }
}
