/** Where a job's execution (one attempt of a fire, or a fire that did not run) stands. */
export const EXECUTION_STATUSES = ['pending', 'running', 'success', 'failed', 'timeout', 'missed', 'skipped'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
