import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Execution, Job } from '../api/jobs';
import type { Id } from '../api/types';
import { useAuthStore } from './auth.store';
import { usePushStore } from './push.store';

/** What the relay announced for the organization's jobs; null when it could not replay what was missed. */
export type JobsEvent = { kind: 'execution'; execution: Execution } | { kind: 'job'; job: Job } | { kind: 'deleted'; id: Id };
export type JobsEventHandler = (event: JobsEvent | null) => void;

/**
 * The current organization's jobs topic, `org:<orgId>:jobs`: execution events mark which jobs are
 * running, and every event goes on to the pages that follow it (dashboard, list, job page), which
 * load their own figures from the server. One subscription, however many pages listen.
 */
export const useJobsStore = defineStore('jobs', () => {
  const auth = useAuthStore();
  const push = usePushStore();
  /** Jobs with an execution under way, by id: their status dot pulses. */
  const running = ref(new Set<Id>());
  const listeners = new Set<JobsEventHandler>();
  let unsubscribe: (() => void) | undefined;

  const orgId = computed(() => auth.currentOrg?.id ?? null);
  const requireOrg = (): Id => {
    if (orgId.value === null) throw new Error('No organization is selected.');
    return orgId.value;
  };

  function noteExecution(execution: Execution): void {
    const next = new Set(running.value);
    if (execution.status === 'running') next.add(execution.jobId);
    else next.delete(execution.jobId);
    running.value = next;
  }

  function subscribe(id: Id): void {
    unsubscribe = push.subscribe(`org:${id}:jobs`, {
      onEvent: ({ event, data }) => {
        let told: JobsEvent;
        if (event === 'job.created' || event === 'job.updated') {
          told = { kind: 'job', job: data as unknown as Job };
        } else if (event === 'job.deleted') {
          told = { kind: 'deleted', id: (data as { id: Id }).id };
        } else if (event.startsWith('execution.')) {
          told = { kind: 'execution', execution: data as unknown as Execution };
          noteExecution(told.execution);
        } else return;
        listeners.forEach((listener) => listener(told));
      },
      onResync: () => {
        running.value = new Set();
        listeners.forEach((listener) => listener(null));
      },
    });
  }

  // The subscription follows the organization; another one's jobs must never show.
  watch(
    () => (auth.signedIn ? orgId.value : null),
    (id) => {
      unsubscribe?.();
      unsubscribe = undefined;
      running.value = new Set();
      if (id !== null) subscribe(id);
    },
    { immediate: true },
  );

  /** Calls `handler` for every event of the organization's jobs until the returned function is called. */
  function follow(handler: JobsEventHandler): () => void {
    listeners.add(handler);
    return () => listeners.delete(handler);
  }

  return { running, orgId, requireOrg, follow };
});
