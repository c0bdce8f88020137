import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../../context.ts';
import { countJobs, deleteJob, insertJob, jobInputOf, updateJob, type JobRow } from '../../../db/repositories/jobs.ts';
import { lockOrganization } from '../../../db/repositories/organizations.ts';
import { planOf } from '../../../db/repositories/jobs-usage.ts';
import { checkDefinition, toJobSchedule, type JobInput, type ScheduleInput } from '../../../domain/jobs/job-definition.ts';
import { pastOnceError } from '../../../domain/cron/run-if-past.ts';
import { jobsAllowed, limitsOf } from '../../../domain/jobs/plan-limits.ts';
import { checkScheduleInterval } from '../../../domain/jobs/schedule-interval.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { jobView, jobsTopic } from '../../../db/repositories/job-views.ts';
import { conflict, invalidInput, notFound, planLimit, Problem, validationProblem } from '../../http/problem.ts';
import { assertTargetsAllowed } from '../../http/outbound-targets.ts';
import { announceDefinition, schedulerOf, stopActor, tellActors, toggleActor } from './actors.ts';

/** 402: the plan does not allow more jobs. */
export function jobLimitProblem(plan: string): Problem {
  return planLimit('jobs', `The ${plan} plan allows ${limitsOf(plan).jobs} jobs. Upgrade to Pro for unlimited jobs, or delete one first.`, {
    plan,
    limit: limitsOf(plan).jobs,
  });
}

/** Where a schedule is saved: a one-time job whose time has passed is refused (422) unless it says `runIfPast`. */
export function assertScheduleAhead(schedules: Array<{ path: string; schedule: ScheduleInput }>, now = new Date()): void {
  const errors = schedules.flatMap(({ path, schedule }) => {
    const error = pastOnceError(schedule, now);
    return error ? [{ path: `${path}.at`, message: error }] : [];
  });
  if (errors.length) throw invalidInput(errors);
}

/**
 * Checks the plan's job limit inside the transaction, with the organization locked so two
 * creations cannot both slip in. Answers the plan, for the checks that follow.
 */
export async function assertJobRoom(trx: Knex.Transaction, organizationId: number, adding: number, removing = 0): Promise<string> {
  await lockOrganization(trx, organizationId);
  const [plan, count] = await Promise.all([planOf(trx, organizationId), countJobs(trx, organizationId)]);
  if (!jobsAllowed(plan, count - removing, adding)) throw jobLimitProblem(plan);
  return plan;
}

/** A definition being written, and where it came in (['jobs', 3] in a sync; [] for one job). */
export interface DefinitionAt {
  path: (string | number)[];
  definition: Pick<JobInput, 'schedule' | 'timezone'>;
}

/** 422 naming the limit when a schedule fires more often than the plan allows (PlanLimits.minIntervalSeconds). */
export function assertSchedulesAllowed(plan: string, entries: DefinitionAt[], now = new Date()): void {
  const minIntervalSeconds = limitsOf(plan).minIntervalSeconds;
  const errors = entries.flatMap(({ path, definition }) => {
    const check = checkScheduleInterval(plan, toJobSchedule(definition.schedule, definition.timezone), now);
    const at = [...path, 'schedule'].join('.');
    return check.ok ? [] : [{ path: at, message: `fires ${check.shortestSeconds} s apart; the ${plan} plan allows one run every ${minIntervalSeconds} s at most` }];
  });
  if (!errors.length) return;
  throw new Problem(
    422,
    'plan-limit-interval',
    'Schedule too frequent for the plan',
    `The ${plan} plan runs a job at most once every ${minIntervalSeconds} seconds (its minIntervalSeconds limit): ${errors.map((e) => e.path).join(', ')} ${errors.length === 1 ? 'fires' : 'fire'} more often. Upgrade to Pro for schedules down to the second.`,
    { plan, limit: 'minIntervalSeconds', minIntervalSeconds, errors },
  );
}

/** A key made from the name, with a random tail so two jobs of the same name do not collide. */
function keyFromName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'job';
  return `${slug}-${randomBytes(3).toString('hex')}`;
}

export async function createJob(ctx: AppContext, organizationId: number, input: Omit<JobInput, 'key'> & { key?: string }): Promise<JobRow> {
  const temporal = schedulerOf(ctx);
  assertScheduleAhead([{ path: 'schedule', schedule: input.schedule }]);
  const job = { ...input, key: input.key ?? keyFromName(input.name) };
  assertTargetsAllowed(ctx.config, [{ path: ['url'], url: job.url }]);
  const row = await ctx.db.transaction(async (trx) => {
    assertSchedulesAllowed(await assertJobRoom(trx, organizationId, 1), [{ path: [], definition: job }]);
    const inserted = await insertJob(trx, organizationId, job);
    if (!inserted) throw conflict(`A job with key "${job.key}" exists in this organization.`, { key: job.key });
    await publish(trx, jobsTopic(organizationId), 'job.created', jobView(inserted));
    return inserted;
  });
  await tellActors(temporal, () => announceDefinition(temporal, row));
  return row;
}

/** PATCH: the changes over the current definition, checked again as a whole. Pause and resume are changes of `enabled`. */
export async function changeJob(ctx: AppContext, current: JobRow, changes: Partial<JobInput>): Promise<JobRow> {
  const temporal = schedulerOf(ctx);
  const merged = checkDefinition({ ...jobInputOf(current), ...changes });
  if (!merged.success) throw validationProblem(merged.error);
  // What is set is checked: a job made before a limit, or on another plan, can still be renamed or paused.
  if (changes.url !== undefined) assertTargetsAllowed(ctx.config, [{ path: ['url'], url: merged.data.url }]);
  if (changes.schedule !== undefined || changes.timezone !== undefined) {
    assertSchedulesAllowed(await planOf(ctx.db, current.organization_id), [{ path: [], definition: merged.data }]);
  }
  if (changes.schedule) assertScheduleAhead([{ path: 'schedule', schedule: changes.schedule }]);
  const row = await ctx.db.transaction(async (trx) => {
    const updated = await updateJob(trx, current.organization_id, current.id, merged.data).catch((error: { code?: string }) => {
      if (error.code === '23505') throw conflict(`A job with key "${merged.data.key}" exists in this organization.`, { key: merged.data.key });
      throw error;
    });
    if (!updated) throw notFound('No such job.');
    await publish(trx, jobsTopic(current.organization_id), 'job.updated', jobView(updated));
    return updated;
  });
  const onlyToggled = Object.keys(changes).length === 1 && changes.enabled !== undefined;
  await tellActors(temporal, () => (onlyToggled ? toggleActor(temporal, row) : announceDefinition(temporal, row)));
  return row;
}

export async function removeJob(ctx: AppContext, current: JobRow): Promise<void> {
  const temporal = schedulerOf(ctx);
  await ctx.db.transaction(async (trx) => {
    const deleted = await deleteJob(trx, current.organization_id, current.id);
    if (!deleted) throw notFound('No such job.');
    await publish(trx, jobsTopic(current.organization_id), 'job.deleted', { id: deleted.id, key: deleted.key });
  });
  await tellActors(temporal, () => stopActor(temporal, current.id));
}
