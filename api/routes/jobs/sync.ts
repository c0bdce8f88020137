import type { AppContext } from '../../context.ts';
import { deleteJob, insertJob, jobInputOf, lockJobsOf, updateJob, type JobRow } from '../../../db/repositories/jobs.ts';
import { planSync, type SyncStep } from '../../../domain/jobs/sync-plan.ts';
import type { DefinitionField, JobInput } from '../../../domain/jobs/job-definition.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { jobView, jobsTopic } from '../../../db/repositories/job-views.ts';
import { announceDefinition, schedulerOf, stopActor, tellActors } from './actors.ts';
import { assertJobRoom, assertScheduleAhead, assertSchedulesAllowed } from './commands.ts';
import { assertTargetsAllowed } from '../../http/outbound-targets.ts';

export type SyncAnswer = Array<Omit<SyncStep, 'definition'>>;

/**
 * PUT /sync: the organization's jobs become `desired`, in one transaction (all or nothing, the
 * plan's job limit checked on the result). Actors are told after the commit.
 */
export async function syncJobs(ctx: AppContext, organizationId: number, desired: JobInput[], deleteMissing: boolean): Promise<SyncAnswer> {
  const temporal = schedulerOf(ctx);
  const topic = jobsTopic(organizationId);
  const { steps, changed, deleted } = await ctx.db.transaction(async (trx) => {
    const existing = await lockJobsOf(trx, organizationId);
    const steps = planSync(existing.map(jobInputOf), desired, deleteMissing);
    // A schedule is saved where a job is made or its schedule changes; an unchanged past one stays.
    assertScheduleAhead(
      desired.flatMap((job, index) => (steps.find((s) => s.key === job.key)?.changes.schedule ? [{ path: `jobs.${index}.schedule`, schedule: job.schedule }] : [])),
    );
    const count = (action: SyncStep['action']) => steps.filter((s) => s.action === action).length;
    const plan = await assertJobRoom(trx, organizationId, count('created'), count('deleted'));
    // Steps of desired jobs come first, in their order: a step's index is its job's in the request.
    // What is set is checked, as in PATCH: an unchanged job made before a limit stays as it is.
    const setting = (...fields: DefinitionField[]) =>
      steps.flatMap((step, index) => (step.definition && fields.some((field) => field in step.changes) ? [{ index, definition: step.definition }] : []));
    assertTargetsAllowed(ctx.config, setting('url').map(({ index, definition }) => ({ path: ['jobs', index, 'url'], url: definition.url })));
    assertSchedulesAllowed(plan, setting('schedule', 'timezone').map(({ index, definition }) => ({ path: ['jobs', index], definition })));

    const byKey = new Map(existing.map((row) => [row.key, row]));
    const changed: JobRow[] = [];
    const deleted: JobRow[] = [];
    for (const step of steps) {
      const current = byKey.get(step.key);
      if (step.action === 'created') changed.push((await insertJob(trx, organizationId, step.definition!))!);
      else if (step.action === 'updated') changed.push((await updateJob(trx, organizationId, current!.id, step.definition!))!);
      else if (step.action === 'deleted') deleted.push((await deleteJob(trx, organizationId, current!.id))!);
    }
    for (const row of changed) await publish(trx, topic, row.revision === 1 ? 'job.created' : 'job.updated', jobView(row));
    for (const row of deleted) await publish(trx, topic, 'job.deleted', { id: row.id, key: row.key });
    return { steps, changed, deleted };
  });
  await tellActors(temporal, () => Promise.all([...changed.map((row) => announceDefinition(temporal, row)), ...deleted.map((row) => stopActor(temporal, row.id))]));
  return steps.map(({ definition: _definition, ...step }) => step);
}
