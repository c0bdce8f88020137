import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CronJobDefinition } from '../../domain/jobs/actor-definition.ts';
import type { RunTrigger } from '../../domain/jobs/execution-status.ts';

/** The definition the actor is started and signalled with, and why a run ran: part of its contract, so named here too. */
export type { CronJobDefinition, RunTrigger };

export const cronJobWorkflowId = (jobId: number | string) => `cron-job-${jobId}`;

export interface CronJobInput {
  jobId: number;
  /** Set by continue-as-new; a fresh actor loads its definition and cursor from the database. */
  carried?: CarriedState;
}

export interface CarriedState {
  definition: CronJobDefinition;
  /** The scheduled time of the last fire handled (ISO): fires after it are due. */
  cursor: string;
  consecutiveFailures: number;
  pendingTriggers: string[];
}

export type CronJobPhase = 'scheduled' | 'running' | 'retrying' | 'paused' | 'completed' | 'deleted';

export interface CronJobSnapshot {
  jobId: number;
  phase: CronJobPhase;
  enabled: boolean;
  revision: number;
  /** ISO instants of the next fires (up to five); empty while paused or after a one-time job ran. */
  nextRuns: string[];
  current: { runId: string; attempt: number; scheduledFor: string; trigger: RunTrigger } | null;
  /** When the current run's next attempt starts, if it is waiting to retry. */
  nextRetryAt: string | null;
  queued: number;
  consecutiveFailures: number;
  runsSinceContinueAsNew: number;
}


// Signals, not updates: the API has already committed the change (or queued the run) when it
// tells the actor, and needs no answer from it; a query shows the outcome when asked.
export const definitionChangedSignal = defineSignal<[CronJobDefinition]>('definitionChanged');
export const pauseSignal = defineSignal<[{ revision: number }]>('pause');
export const resumeSignal = defineSignal<[{ revision: number }]>('resume');
/** `runId` comes from the caller, so the API can answer with it and the client can find the run's executions. */
export const triggerNowSignal = defineSignal<[{ runId: string }]>('triggerNow');
export const deleteSignal = defineSignal<[]>('delete');

export const cronJobStateQuery = defineQuery<CronJobSnapshot, [number?]>('state');
