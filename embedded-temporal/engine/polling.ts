/**
 * Long polls of workers. A poll takes the next task of its queue, checks it is still valid and
 * starts it; a stale one (timed out, run closed, moved off a sticky queue) is skipped.
 */
import type { CallContext } from '../grpc/service.ts';
import { invalidArgument } from '../grpc/errors.ts';
import type { Msg } from '../proto.ts';
import { startActivityTask } from './activities.ts';
import type { Engine } from './engine.ts';
import { Deployments, VERSIONED } from './deployments.ts';
import { Matching } from './matching.ts';
import { startWorkflowTask, stickyQueue } from './workflow-tasks.ts';

/** How long a poll waits for a task before answering empty (the SDK polls again). */
const LONG_POLL_MS = 60_000;

function waitBudget(ctx: CallContext): number {
  return Math.min(LONG_POLL_MS, ctx.deadline - Date.now() - 1000);
}

/** The queue a poller takes tasks from: its worker deployment version's, if it polls as one. */
async function pollerQueue(engine: Engine, req: Msg, kind: 'workflow' | 'activity', taskQueue: string): Promise<string> {
  const base = Matching.key(req.namespace, kind, taskQueue);
  const options = req.deploymentOptions;
  if (options?.workerVersioningMode !== VERSIONED || !options.deploymentName || !options.buildId) return base;
  await engine.deployments.notePoller(req.namespace, taskQueue, options.deploymentName, options.buildId, engine.clock.now());
  return Deployments.pollerQueue(base, options.deploymentName, options.buildId);
}

export async function pollWorkflowTask(engine: Engine, req: Msg, ctx: CallContext): Promise<Msg | Buffer> {
  engine.requireNamespace(req.namespace);
  const name = req.taskQueue?.name;
  if (!name) throw invalidArgument('TaskQueue is not set on request.');
  const identity = req.identity ?? '';
  const sticky = req.taskQueue.kind === 'TASK_QUEUE_KIND_STICKY';
  const key = sticky ? stickyQueue(req.namespace, name) : await pollerQueue(engine, req, 'workflow', name);
  const until = Date.now() + waitBudget(ctx);
  for (;;) {
    const task = await engine.matching.poll(key, identity, ctx.signal, until - Date.now());
    if (!task) return {};
    if (ctx.signal.aborted) {
      engine.matching.requeue(key, task);
      return {};
    }
    const exec = engine.run(task.runId);
    if (!exec) continue;
    const response =
      task.kind === 'query'
        ? await engine.queries.startTask(engine, task.queryId)
        : task.kind === 'workflow'
          ? await startWorkflowTask(engine, exec, task, identity, sticky)
          : null;
    if (response) return response;
  }
}

export async function pollActivityTask(engine: Engine, req: Msg, ctx: CallContext): Promise<Msg> {
  engine.requireNamespace(req.namespace);
  const name = req.taskQueue?.name;
  if (!name) throw invalidArgument('TaskQueue is not set on request.');
  const key = await pollerQueue(engine, req, 'activity', name);
  const until = Date.now() + waitBudget(ctx);
  for (;;) {
    const task = await engine.matching.poll(key, req.identity ?? '', ctx.signal, until - Date.now());
    if (!task) return {};
    if (ctx.signal.aborted) {
      engine.matching.requeue(key, task);
      return {};
    }
    const exec = engine.run(task.runId);
    if (!exec || task.kind !== 'activity') continue;
    const response = await engine.mutate(exec, (m) => startActivityTask(m, task, req.identity ?? ''), { answerBeforeCommit: true });
    if (response) return response;
  }
}
