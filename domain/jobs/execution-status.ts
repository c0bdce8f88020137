/** Where a job's execution (one attempt of a fire, or a fire that did not run) stands. */
export const EXECUTION_STATUSES = ['pending', 'running', 'success', 'failed', 'timeout', 'missed', 'skipped'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Why an execution ran: its schedule, a person ("run now"), or catching up on fires missed while down. */
export type RunTrigger = 'schedule' | 'manual' | 'catch_up';
