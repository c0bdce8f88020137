import { z } from 'zod';
import { timezoneSchema } from '../availability/timezone.ts';
import { jobKeySchema } from './job-definition.ts';
import { EXECUTION_STATUSES } from './execution-status.ts';
import { targetUrlSchema } from '../net/target-url.ts';

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const executionsQuerySchema = pageQuerySchema.extend({
  /** One status or several, comma-separated: `failed,timeout`. */
  status: z
    .string()
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EXECUTION_STATUSES)).min(1))
    .optional(),
  from: z.iso.datetime({ offset: true }).transform((at) => new Date(at)).optional(),
  to: z.iso.datetime({ offset: true }).transform((at) => new Date(at)).optional(),
  runId: z.string().min(1).max(100).optional(),
});

/** GET …/executions/export: the filtered history, whole, as CSV or NDJSON (one JSON object a line). */
export const executionsExportQuerySchema = executionsQuerySchema.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'ndjson']).default('ndjson') }).strict();

/** The jobs list, searched, filtered and sorted by the server (a pro organization can have thousands). */
export const jobsListQuerySchema = pageQuerySchema.extend({
  /** Words that must all appear in the name, URL or key (case-insensitive). */
  q: z.string().trim().max(200).optional(),
  enabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** healthy: no failure streak; failing: enabled with failed runs in a row; disabled: turned itself off after failing. */
  health: z.enum(['healthy', 'failing', 'disabled']).optional(),
  sort: z.enum(['newest', 'name', 'last_run']).default('newest'),
});

/** The viewer's zone: "today" and a day's bounds are theirs, not the server's. */
const viewerZoneSchema = timezoneSchema.default('UTC');

export const jobStatsQuerySchema = z.object({ hours: z.coerce.number().int().min(1).max(168).default(24), tz: viewerZoneSchema });

export const dailyQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(30), tz: viewerZoneSchema });

export const nextRunsQuerySchema = z.object({ count: z.coerce.number().int().min(1).max(10).default(5) });

export const syncQuerySchema = z.object({ delete_missing: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });

/** A clone needs a key of its own; the name defaults to "<name> (copy)". */
export const cloneJobSchema = z.object({ key: jobKeySchema.optional(), name: z.string().trim().min(1).max(200).optional() }).strict();

export const validateCronSchema = z.object({ expression: z.string().max(200), timezone: z.string().max(100).default('UTC') }).strict();

export const jobSettingsPatchSchema = z
  .object({
    notifyEmail: z.boolean(),
    notifyWebhookUrl: targetUrlSchema.nullable(),
  })
  .partial()
  .strict();

/** GET /failed_deliveries: a page of the organization's dead letters, optionally one job's. */
export const failedDeliveriesQuerySchema = pageQuerySchema.extend({ jobId: z.coerce.number().int().positive().optional() }).strict();

/** How many failed deliveries one bulk replay may send: each is a request sent while the caller waits. */
export const BULK_REPLAY_MAX = 50;
export const bulkReplaySchema = z.object({ executionIds: z.array(z.number().int().positive()).min(1).max(BULK_REPLAY_MAX) }).strict();
