import { timezoneSchema } from '../availability/timezone.ts';
import { cronExpressionError } from './cron-expression.ts';
import { describeCron } from './describe-cron.ts';
import { nextRuns } from './next-runs.ts';

export type CronValidation = { valid: true; description: string; nextRuns: string[] } | { valid: false; error: string };

export const PREVIEW_RUNS = 5;

/** What the job form shows while someone types: a description and the next runs, or why it is wrong. */
export function validateCron(expression: string, timezone: string, now: Date): CronValidation {
  if (!timezoneSchema.safeParse(timezone).success) return { valid: false, error: `unknown timezone "${timezone}"` };
  const error = cronExpressionError(expression);
  if (error) return { valid: false, error };
  return {
    valid: true,
    description: describeCron(expression),
    nextRuns: nextRuns({ kind: 'cron', expression, timezone }, now, PREVIEW_RUNS).map((d) => d.toISOString()),
  };
}
