import { z } from 'zod';
import { timezoneSchema } from '../availability/timezone.ts';
import { cronExpressionError } from './cron-expression.ts';

export const cronExpressionSchema = z
  .string()
  .trim()
  .superRefine((expression, ctx) => {
    const error = cronExpressionError(expression);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  });

/** When a job runs: on a cron expression read in its timezone, or once at an instant. */
export const jobScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cron'), expression: cronExpressionSchema, timezone: timezoneSchema.default('UTC') }),
  z.object({ kind: z.literal('once'), at: z.iso.datetime({ offset: true }), runIfPast: z.boolean().optional() }),
]);
export type JobSchedule = z.infer<typeof jobScheduleSchema>;

