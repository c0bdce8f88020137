/**
 * After a restart, matching is empty: hand out again what the persisted state says is waiting
 * for a worker. Running tasks are left to their timeouts, as their worker may still answer.
 */
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import { Matching } from './matching.ts';
import { workflowQueue } from './workflow-tasks.ts';

export function offerPendingTasks(engine: Engine, exec: Execution): void {
  const s = exec.state;
  if (!exec.isOpen) return;
  offerWorkflowTaskAgain(engine, exec);
  for (const a of Object.values(s.activities)) {
    if (a.phase !== 'scheduled') continue;
    engine.matching.offer(Matching.key(s.namespace, 'activity', a.attrs.taskQueue.name), {
      kind: 'activity',
      runId: s.runId,
      scheduledEventId: a.scheduledEventId,
      attempt: a.attempt,
    });
  }
}

/**
 * The written state's workflow task, if waiting for a worker, to the task queue (also after a
 * rollback undid a task's start). Which workers still cache the run is unknown: none is assumed.
 */
export function offerWorkflowTaskAgain(engine: Engine, exec: Execution): void {
  const s = exec.state;
  const wft = s.wft;
  s.sticky = undefined;
  if (wft) wft.stickyUntil = undefined;
  if (exec.isOpen && wft && wft.startedEventId === undefined && !wft.notBefore) {
    engine.matching.offer(workflowQueue(s), { kind: 'workflow', runId: s.runId, nonce: wft.nonce });
  }
}
