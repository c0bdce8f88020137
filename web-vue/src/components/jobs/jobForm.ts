import { DateTime } from 'luxon';
import type { HttpMethod, Job, JobDefinition } from '../../api/jobs';
import { viewerZone } from '../bookings/format';

/** The job form as typed: text where a person types, converted to a definition on submit. */
export interface JobForm {
  name: string;
  key: string;
  url: string;
  method: HttpMethod;
  headers: string;
  body: string;
  /** The body's Content-Type, '' to let Pulseboard type a JSON body as application/json. */
  contentType: string;
  scheduleKind: 'cron' | 'once';
  expression: string;
  onceLocal: string;
  timezone: string;
  enabled: boolean;
  timeoutSeconds: number;
  attempts: number;
  initialSeconds: number;
  backoffCoefficient: number;
  maxSeconds: number;
  overlapPolicy: JobDefinition['overlapPolicy'];
  catchUpPolicy: JobDefinition['catchUpPolicy'];
  disableAfterFailures: number;
  /** Comma-separated: "2xx", "200, 204", "200-299". */
  expectStatus: string;
  expectBodyContains: string;
  expectJsonPath: string;
  /** A JSON value (true, 42, "ok"); plain text is taken as a string. */
  expectJsonEquals: string;
  notifyEmail: 'default' | 'on' | 'off';
  notifyWebhook: 'default' | 'none' | 'own';
  notifyWebhookUrl: string;
}

const LOCAL_INPUT = "yyyy-MM-dd'T'HH:mm";

/** The body types the form offers; another type stays in the headers. */
export const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml'];

/** A new job: the API's defaults, in the viewer's timezone, weekdays at nine. */
export function newJobForm(): JobForm {
  return {
    name: '',
    key: '',
    url: '',
    method: 'GET',
    headers: '',
    body: '',
    contentType: '',
    scheduleKind: 'cron',
    expression: '0 9 * * 1-5',
    onceLocal: DateTime.now().plus({ hours: 1 }).startOf('hour').toFormat(LOCAL_INPUT),
    timezone: viewerZone(),
    enabled: true,
    timeoutSeconds: 30,
    attempts: 3,
    initialSeconds: 10,
    backoffCoefficient: 2,
    maxSeconds: 600,
    overlapPolicy: 'skip',
    catchUpPolicy: 'run_once',
    disableAfterFailures: 5,
    expectStatus: '2xx',
    expectBodyContains: '',
    expectJsonPath: '',
    expectJsonEquals: '',
    notifyEmail: 'default',
    notifyWebhook: 'default',
    notifyWebhookUrl: '',
  };
}

export function formOf(job: Job): JobForm {
  const typeHeader = Object.keys(job.headers).find((name) => name.toLowerCase() === 'content-type');
  const contentType = typeHeader && CONTENT_TYPES.includes(job.headers[typeHeader]) ? job.headers[typeHeader] : '';
  const headers = Object.fromEntries(Object.entries(job.headers).filter(([name]) => !contentType || name !== typeHeader));
  return {
    ...newJobForm(),
    name: job.name,
    key: job.key,
    url: job.url,
    method: job.method,
    headers: Object.keys(headers).length ? JSON.stringify(headers, null, 2) : '',
    body: job.body ?? '',
    contentType,
    scheduleKind: job.schedule.kind,
    expression: job.schedule.kind === 'cron' ? job.schedule.expression : '',
    onceLocal: job.schedule.kind === 'once' ? DateTime.fromISO(job.schedule.at, { zone: job.timezone }).toFormat(LOCAL_INPUT) : newJobForm().onceLocal,
    timezone: job.timezone,
    enabled: job.enabled,
    timeoutSeconds: job.timeoutMs / 1000,
    attempts: job.retry.attempts,
    initialSeconds: job.retry.initialMs / 1000,
    backoffCoefficient: job.retry.backoffCoefficient,
    maxSeconds: job.retry.maxMs / 1000,
    overlapPolicy: job.overlapPolicy,
    catchUpPolicy: job.catchUpPolicy,
    disableAfterFailures: job.disableAfterFailures,
    expectStatus: job.expectedResponse.statusCodes.join(', '),
    expectBodyContains: job.expectedResponse.bodyContains ?? '',
    expectJsonPath: job.expectedResponse.json?.path ?? '',
    expectJsonEquals: job.expectedResponse.json ? JSON.stringify(job.expectedResponse.json.equals) : '',
    notifyEmail: job.notifications.email === null ? 'default' : job.notifications.email ? 'on' : 'off',
    notifyWebhook: job.notifications.webhookUrl === null ? 'default' : job.notifications.webhookUrl === false ? 'none' : 'own',
    notifyWebhookUrl: job.notifications.webhookUrl || '',
  };
}

/** Why the headers text is not a JSON object of strings, or undefined when it is (or is empty). */
export function headersError(text: string): string | undefined {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Headers are a JSON object: {"Name": "value"}.';
  const notText = Object.entries(value).find(([, v]) => typeof v !== 'string');
  return notText ? `The value of "${notText[0]}" must be a string.` : undefined;
}

/** A body sent as JSON (by its Content-Type, or because it looks like JSON) must parse. */
export function bodyError(form: Pick<JobForm, 'body' | 'headers' | 'method' | 'contentType'>): string | undefined {
  if (!form.body.trim()) return undefined;
  if (form.method === 'GET' || form.method === 'HEAD') return `${form.method} requests cannot have a body.`;
  const declaredJson = form.contentType.includes('json') || /"content-type"\s*:\s*"[^"]*json/i.test(form.headers);
  if (!declaredJson && !/^\s*[[{]/.test(form.body)) return undefined;
  try {
    JSON.parse(form.body);
    return undefined;
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

/** The form as the API takes it. An empty key is left out on creation: the server makes one from the name. */
export function definitionOf(form: JobForm): Partial<JobDefinition> {
  const at = DateTime.fromISO(form.onceLocal, { zone: form.timezone });
  return {
    ...(form.key.trim() ? { key: form.key.trim() } : {}),
    name: form.name.trim(),
    url: form.url.trim(),
    method: form.method,
    headers: headersOf(form),
    body: hasBody(form) ? form.body : null,
    schedule: form.scheduleKind === 'cron' ? { kind: 'cron', expression: form.expression.trim() } : { kind: 'once', at: at.isValid ? at.toUTC().toISO()! : form.onceLocal },
    timezone: form.timezone,
    enabled: form.enabled,
    timeoutMs: Math.round(form.timeoutSeconds * 1000),
    retry: {
      attempts: form.attempts,
      initialMs: Math.round(form.initialSeconds * 1000),
      backoffCoefficient: form.backoffCoefficient,
      maxMs: Math.round(form.maxSeconds * 1000),
    },
    overlapPolicy: form.overlapPolicy,
    catchUpPolicy: form.catchUpPolicy,
    disableAfterFailures: form.disableAfterFailures,
    expectedResponse: expectedResponseOf(form),
    notifications: {
      email: form.notifyEmail === 'default' ? null : form.notifyEmail === 'on',
      webhookUrl: form.notifyWebhook === 'default' ? null : form.notifyWebhook === 'none' ? false : form.notifyWebhookUrl.trim(),
    },
  };
}

function expectedResponseOf(form: JobForm): JobDefinition['expectedResponse'] {
  const statusCodes = form.expectStatus.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    statusCodes: statusCodes.length ? statusCodes : ['2xx'],
    ...(form.expectBodyContains ? { bodyContains: form.expectBodyContains } : {}),
    ...(form.expectJsonPath.trim() ? { json: { path: form.expectJsonPath.trim(), equals: jsonValueOf(form.expectJsonEquals) } } : {}),
  };
}

/** `true`, `42`, `null` or `"ok"` as JSON; anything else as the text it is. */
function jsonValueOf(text: string): string | number | boolean | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? text : (value as string | number | boolean | null);
  } catch {
    return text;
  }
}

const hasBody = (form: Pick<JobForm, 'body' | 'method'>) => !!form.body.trim() && form.method !== 'GET' && form.method !== 'HEAD';

/** The typed headers, with the chosen Content-Type (over one typed there) when there is a body to type. */
function headersOf(form: JobForm): Record<string, string> {
  const typed = form.headers.trim() ? (JSON.parse(form.headers) as Record<string, string>) : {};
  if (!form.contentType || !hasBody(form)) return typed;
  const others = Object.entries(typed).filter(([name]) => name.toLowerCase() !== 'content-type');
  return { ...Object.fromEntries(others), 'Content-Type': form.contentType };
}
