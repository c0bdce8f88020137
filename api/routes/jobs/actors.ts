import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { AppContext } from '../../context.ts';
import { requireTemporal, type TemporalGateway } from '../../temporal.ts';
import type { cronJobWorkflow } from '../../../workflows/cron-job/workflow.ts';
import {
  cronJobStateQuery,
  cronJobWorkflowId,
  definitionChangedSignal,
  deleteSignal,
  pauseSignal,
  resumeSignal,
  triggerNowSignal,
  type CronJobSnapshot,
} from '../../../workflows/cron-job/definitions.ts';
import { findJobById, listEnabledJobIds, type JobRow } from '../../../db/repositories/jobs.ts';
import { actorDefinitionOf } from '../../../db/repositories/jobs.ts';
import { Problem, serviceUnavailable } from '../../http/problem.ts';

export function schedulerOf(ctx: AppContext): TemporalGateway {
  return requireTemporal(ctx, 'The scheduler is not reachable; nothing was changed. Try again shortly.');
}

/**
 * Tells the job's actor its definition changed, starting the actor if it has none (signal-with-
 * start never makes a second one). Called after the change is committed: the actor reads the
 * job when it starts, so it must find it.
 */
export async function announceDefinition(temporal: TemporalGateway, job: JobRow): Promise<void> {
  await signalOrStart(temporal, job, definitionChangedSignal, actorDefinitionOf(job));
}

/** Runs after commit: a scheduler that cannot be reached is a 503 that says the change is kept. */
export async function tellActors(temporal: TemporalGateway, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof Problem) throw error;
    temporal.noteFailure(error);
    throw serviceUnavailable('The change is saved, but the scheduler could not be told; it applies it when it is reachable again (at the latest on its next start).');
  }
}

export async function stopActor(temporal: TemporalGateway, jobId: number): Promise<void> {
  try {
    await temporal.client.workflow.getHandle(cronJobWorkflowId(jobId)).signal(deleteSignal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

export async function triggerActor(temporal: TemporalGateway, job: JobRow, runId: string): Promise<void> {
  await signalOrStart(temporal, job, triggerNowSignal, { runId });
}

/** Pause or resume, with the revision the change was committed as. */
export async function toggleActor(temporal: TemporalGateway, job: JobRow): Promise<void> {
  await signalOrStart(temporal, job, job.enabled ? resumeSignal : pauseSignal, { revision: job.revision });
}

async function signalOrStart<T>(temporal: TemporalGateway, job: JobRow, signal: SignalDefinition<[T]>, arg: T): Promise<void> {
  await temporal.client.workflow.signalWithStart<typeof cronJobWorkflow, [T]>('cronJobWorkflow', {
    workflowId: cronJobWorkflowId(job.id),
    taskQueue: temporal.taskQueue,
    args: [{ jobId: job.id }],
    signal,
    signalArgs: [arg],
  });
}

/** The actor's view (next runs, what is running); null when the job has no actor. */
export async function queryActor(temporal: TemporalGateway, jobId: number, count: number): Promise<CronJobSnapshot | null> {
  try {
    return await temporal.client.workflow.getHandle(cronJobWorkflowId(jobId)).query(cronJobStateQuery, count);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    temporal.noteFailure(error);
    throw serviceUnavailable('The scheduler did not answer; try again shortly.');
  }
}

/**
 * On start-up: every enabled job gets its actor, exactly one (signal-with-start uses the running
 * one when there is one), and every actor gets the job's current definition, so a change whose
 * signal was lost while the scheduler was down is applied now. Answers how many jobs it covered.
 */
export async function ensureJobActors(ctx: Pick<AppContext, 'db' | 'temporal'>): Promise<number> {
  const temporal = ctx.temporal;
  if (!temporal) throw new Error('ensureJobActors needs a Temporal connection');
  const ids = await listEnabledJobIds(ctx.db);
  for (const id of ids) {
    const job = await findJobById(ctx.db, id);
    if (job) await announceDefinition(temporal, job);
  }
  return ids.length;
}
