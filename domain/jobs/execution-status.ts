/** Where a job's execution (one attempt of a fire, or a fire that did not run) stands. */
export const EXECUTION_STATUSES = ['pending', 'running', 'success', 'failed', 'timeout', 'missed', 'skipped'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Why an execution ran: its schedule, a person ("run now"), catching up on fires missed while down, or a replay of a failed one. */
export type RunTrigger = 'schedule' | 'manual' | 'catch_up' | 'replay';

/** The statuses of an attempt whose delivery failed: what a failed run ends with, and what may be replayed. */
export const FAILED_DELIVERY_STATUSES = ['failed', 'timeout'] as const satisfies readonly ExecutionStatus[];
