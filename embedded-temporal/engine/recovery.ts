/**
 * After a restart, matching is empty: hand out again what the persisted state says is waiting
 * for a worker. Running tasks are left to their timeouts, as their worker may still answer.
 * Also after a rollback that undid a task's hand-out (a task offered twice is skipped as stale
 * by the second poll).
 */
import type { Engine } from './engine.ts';
import type { Execution } from './execution.ts';
import { workflowQueue } from './workflow-tasks.ts';
import { offerPendingNexusTasks } from './nexus.ts';

export function offerPendingTasks(engine: Engine, exec: Execution): void {
  const s = exec.state;
  if (!exec.isOpen) return;
  const wft = s.wft;
  // Which workers still cache what is unknown after a restart: the task queue gets everything.
  s.sticky = undefined;
  if (wft) wft.stickyUntil = undefined;
  if (wft && wft.startedEventId === undefined && !wft.notBefore) {
    engine.matching.offer(workflowQueue(engine, s), { kind: 'workflow', runId: s.runId, nonce: wft.nonce });
  }
  for (const a of Object.values(s.activities)) {
    if (a.phase !== 'scheduled') continue;
    engine.matching.offer(engine.deployments.route(s.namespace, 'activity', a.attrs.taskQueue.name, s.versioning), {
      kind: 'activity',
      runId: s.runId,
      scheduledEventId: a.scheduledEventId,
      attempt: a.attempt,
    });
  }
  offerPendingNexusTasks(engine, s);
}

