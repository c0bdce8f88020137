import { z } from 'zod';
import { DEFAULT_EXPECTED_RESPONSE, expectedResponseSchema } from './expected-response.ts';
import { DEFAULT_JOB_NOTIFICATIONS, jobNotificationsSchema } from './job-notifications.ts';
import { timezoneSchema } from '../availability/timezone.ts';
import { cronExpressionSchema, type JobSchedule } from '../cron/schedule.ts';
import { targetUrlSchema } from '../net/target-url.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const OVERLAP_POLICIES = ['skip', 'queue'] as const;
export const CATCH_UP_POLICIES = ['run_once', 'skip'] as const;

export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** Headers we set ourselves on every request; a job may not override them. */
const RESERVED_HEADERS = /^(x-pulseboard-|host$|content-length$|transfer-encoding$|connection$)/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const jobKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

const headersSchema = z
  .record(z.string(), z.string().max(8192).refine((v) => !/[\r\n]/.test(v), 'header values cannot contain line breaks'))
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'not a valid header name' });
      else if (RESERVED_HEADERS.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'this header is set by Pulseboard' });
    }
    if (Object.keys(headers).length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 headers' });
  });

/** The job's schedule as the API takes it; the timezone is a field of the job (see toJobSchedule). */
export const scheduleInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cron'), expression: cronExpressionSchema }),
  z.object({
    kind: z.literal('once'),
    at: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()),
    /** A time that has passed when the job is saved runs once, at once; without it such a time is refused. */
    runIfPast: z.boolean().optional(),
  }),
]);
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

export const retryPolicySchema = z
  .object({
    /** Attempts per run, the first included. */
    attempts: z.number().int().min(1).max(10).default(3),
    initialMs: z.number().int().min(100).max(3_600_000).default(10_000),
    backoffCoefficient: z.number().min(1).max(10).default(2),
    maxMs: z.number().int().min(100).max(86_400_000).default(600_000),
  })
  .refine((r) => r.maxMs >= r.initialMs, { message: 'maxMs must be at least initialMs', path: ['maxMs'] });
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY: RetryPolicy = retryPolicySchema.parse({});
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_DISABLE_AFTER_FAILURES = 5;

/** Every field of a job but its key, as PATCH takes them (no defaults: what is absent stays as it is). */
const jobFields = {
  name: z.string().trim().min(1).max(200),
  url: targetUrlSchema,
  method: z.enum(HTTP_METHODS),
  headers: headersSchema,
  body: z.string().max(65_536).nullable(),
  schedule: scheduleInputSchema,
  timezone: timezoneSchema,
  enabled: z.boolean(),
  timeoutMs: z.number().int().min(1000).max(300_000),
  retry: retryPolicySchema,
  overlapPolicy: z.enum(OVERLAP_POLICIES),
  catchUpPolicy: z.enum(CATCH_UP_POLICIES),
  /** Consecutive failed runs after which the job disables itself. */
  disableAfterFailures: z.number().int().min(1).max(100),
  expectedResponse: expectedResponseSchema,
  notifications: jobNotificationsSchema,
};

/** What a creator may leave out. */
const jobFieldsWithDefaults = {
  ...jobFields,
  method: jobFields.method.default('GET'),
  headers: jobFields.headers.default({}),
  body: jobFields.body.default(null),
  timezone: jobFields.timezone.default('UTC'),
  enabled: jobFields.enabled.default(true),
  timeoutMs: jobFields.timeoutMs.default(DEFAULT_TIMEOUT_MS),
  retry: jobFields.retry.default(DEFAULT_RETRY),
  overlapPolicy: jobFields.overlapPolicy.default('skip'),
  catchUpPolicy: jobFields.catchUpPolicy.default('run_once'),
  disableAfterFailures: jobFields.disableAfterFailures.default(DEFAULT_DISABLE_AFTER_FAILURES),
  expectedResponse: jobFields.expectedResponse.default(DEFAULT_EXPECTED_RESPONSE),
  notifications: jobFields.notifications.default(DEFAULT_JOB_NOTIFICATIONS),
};

const noBodyForGet = (job: { method?: string; body?: string | null }) => !(job.body && (job.method === 'GET' || job.method === 'HEAD'));
const bodyIssue = { message: 'GET and HEAD requests cannot have a body', path: ['body'] };

/** POST /jobs: `key` is optional there (one is made from the name). */
export const createJobSchema = z.object({ key: jobKeySchema.optional(), ...jobFieldsWithDefaults }).strict().refine(noBodyForGet, bodyIssue);
/** PATCH /jobs/:id: any subset; the merged result is checked again as a whole (checkDefinition). */
export const updateJobSchema = z.object({ key: jobKeySchema, ...jobFields }).partial().strict();
/** One entry of PUT /sync: the key is what matches it to an existing job. */
export const syncJobSchema = z.object({ key: jobKeySchema, ...jobFieldsWithDefaults }).strict().refine(noBodyForGet, bodyIssue);

/** POST /jobs/test_request: the request part of a job, sent once before the job is saved. */
export const testRequestSchema = z
  .object({ url: jobFields.url, method: jobFieldsWithDefaults.method, headers: jobFieldsWithDefaults.headers, body: jobFieldsWithDefaults.body, timeoutMs: jobFieldsWithDefaults.timeoutMs })
  .strict()
  .refine(noBodyForGet, bodyIssue);
export type TestRequestInput = z.infer<typeof testRequestSchema>;

export const syncRequestSchema = z
  .object({ jobs: z.array(syncJobSchema).max(1000) })
  .strict()
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    request.jobs.forEach((job, index) => {
      if (seen.has(job.key)) ctx.addIssue({ code: 'custom', path: ['jobs', index, 'key'], message: `key "${job.key}" appears twice` });
      seen.add(job.key);
    });
  });

/** A complete job definition, defaults applied. */
export type JobInput = z.infer<typeof syncJobSchema>;

/** The definition fields a person edits, in a fixed order: sync compares and reports these. */
export const DEFINITION_FIELDS = ['name', 'url', 'method', 'headers', 'body', 'schedule', 'timezone', 'enabled', 'timeoutMs', 'retry', 'overlapPolicy', 'catchUpPolicy', 'disableAfterFailures', 'expectedResponse', 'notifications'] as const;
export type DefinitionField = (typeof DEFINITION_FIELDS)[number];

/** The domain's schedule: a cron expression carries the job's timezone. */
export function toJobSchedule(schedule: ScheduleInput, timezone: string): JobSchedule {
  return schedule.kind === 'cron' ? { kind: 'cron', expression: schedule.expression, timezone } : schedule;
}

/** Checks a merged definition (after PATCH) as a whole. */
export function checkDefinition(definition: JobInput): z.ZodSafeParseResult<JobInput> {
  return syncJobSchema.safeParse(definition);
}
