import { jobsApi, type Job } from '../../api/jobs';
import { confirmAction } from '../../composables/confirm';
import { useAction } from '../../composables/useAction';
import { useJobsStore } from '../../stores/jobs.store';
import { useToastStore } from '../../stores/toast.store';

/** Run now, enable / disable and delete, for the list's menu and the job page alike. */
export function useJobActions(options: { onDeleted?: (job: Job) => void } = {}) {
  const store = useJobsStore();
  const toast = useToastStore();

  /** Answers the job as it is afterwards (null once deleted). */
  const action = useAction(async (kind: 'run' | 'toggle' | 'delete', job: Job): Promise<Job | null> => {
    const orgId = store.requireOrg();
    if (kind === 'run') {
      await jobsApi.trigger(orgId, job.id);
      toast.show(`"${job.name}" is running now.`);
      return job;
    }
    if (kind === 'toggle') {
      const changed = job.enabled ? await jobsApi.pause(orgId, job.id) : await jobsApi.resume(orgId, job.id);
      toast.show(`"${job.name}" ${changed.enabled ? 'enabled' : 'disabled'}.`);
      return changed;
    }
    const ok = await confirmAction({
      title: `Delete "${job.name}"?`,
      body: 'It stops running at once, and its execution history is deleted with it. This cannot be undone.',
      confirmLabel: 'Delete job',
      danger: true,
    });
    if (!ok) return job;
    await jobsApi.remove(orgId, job.id);
    toast.show(`"${job.name}" deleted.`);
    options.onDeleted?.(job);
    return null;
  });

  return {
    pending: action.pending,
    problem: action.problem,
    runNow: (job: Job) => action.run('run', job),
    toggle: (job: Job) => action.run('toggle', job),
    remove: (job: Job) => action.run('delete', job),
  };
}
