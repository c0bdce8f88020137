import type { z } from 'zod';
import { inputSchema, integerId, queryParameters, ref, type JsonSchema } from './json-schema.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: `public` anyone; `optional` anyone, a signed-in person may see more; `user` a
 * person (session or JWT); `member` a person or the organization's API key; `admin` a person
 * with the admin role; `signed` a webhook, authenticated by its signature header, not a caller.
 */
export type Auth = 'public' | 'optional' | 'user' | 'member' | 'admin' | 'signed';

/** One route as a tag file lists it; `path` is the Express path, with `:params`. */
export interface OperationSpec {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** The zod schema the route parses `req.query` with (hand-written JSON Schema only where none is exported). */
  query?: z.ZodType | JsonSchema;
  /** The zod schema the route parses the body with, or a hand-written JSON Schema where none is exported. */
  body?: z.ZodType | JsonSchema;
  /** Path parameters that are not positive integer ids (the default for `id` and `…Id`). */
  params?: Record<string, JsonSchema>;
  /** Request headers the route reads (signatures, topics). */
  headers?: Record<string, { description: string; required?: boolean }>;
  success: { status: number; description: string; schema?: JsonSchema };
  /** Problem statuses the route itself answers, beyond those its auth, body and query imply. */
  problems?: number[];
}

export interface TagSpec {
  name: string;
  description: string;
  operations: OperationSpec[];
}

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  public: [],
  signed: [],
  optional: [{}, { session: [] }, { bearerJwt: [] }],
  user: [{ session: [] }, { bearerJwt: [] }],
  admin: [{ session: [] }, { bearerJwt: [] }],
  member: [{ session: [] }, { bearerJwt: [] }, { bearerApiKey: [] }],
};

const UNSAFE: ReadonlySet<Method> = new Set(['post', 'put', 'patch', 'delete']);

/** `/orgs/:orgId` → `/orgs/{orgId}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** Cookie sessions must echo the CSRF token on unsafe methods; bearer callers need not. */
function securityOf(spec: OperationSpec): Array<Record<string, string[]>> {
  return SECURITY[spec.auth].map((requirement) => ('session' in requirement && UNSAFE.has(spec.method) ? { ...requirement, csrfHeader: [] } : requirement));
}

/** The statuses every route of its kind can answer, so tag files list only what is particular. */
function impliedProblems(spec: OperationSpec): number[] {
  const statuses: number[] = [];
  // 401 signed out; 403 a role that may not, an API key on a person-only route, or a wrong CSRF token.
  if (['user', 'member', 'admin'].includes(spec.auth)) statuses.push(401, 403);
  // Outsiders are told an organization does not exist.
  if (spec.path.includes(':orgId')) statuses.push(404);
  if (spec.body) statuses.push(413);
  // Webhooks read their raw body themselves and say which of these they answer.
  if (spec.body && spec.auth !== 'signed') statuses.push(400, 422);
  if (spec.query) statuses.push(422);
  return statuses;
}

/** Zod schemas are converted; hand-written JSON Schema is taken as it is. */
function jsonSchemaOf(schema: z.ZodType | JsonSchema): JsonSchema {
  return typeof schema === 'object' && '_zod' in schema ? inputSchema(schema as z.ZodType) : (schema as JsonSchema);
}

function parametersOf(spec: OperationSpec): JsonSchema[] {
  const path = [...spec.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: spec.params?.[name] ?? (/^id$|Id$/.test(name) ? integerId : { type: 'string' }),
  }));
  const headers = Object.entries(spec.headers ?? {}).map(([name, header]) => ({ name, in: 'header', required: header.required ?? true, description: header.description, schema: { type: 'string' } }));
  return [...path, ...(spec.query ? queryParameters(jsonSchemaOf(spec.query)) : []), ...headers];
}

const REASONS: Record<number, string> = {
  400: 'Bad request (unreadable body or input)',
  401: 'Not signed in, or a bad credential or signature',
  402: 'The plan does not allow this',
  403: 'Not allowed (role, API key on a person-only route, or CSRF token missing)',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  410: 'Gone: expired or already used',
  413: 'Body too large',
  422: 'Invalid input (Problem Details with `errors: [{ path, message }]`)',
  429: 'Too many requests (`Retry-After` says when to retry)',
  503: 'A service the route needs (Temporal) is not reachable',
};

/** The OpenAPI operation object for one route. */
export function operationObject(spec: OperationSpec, tag: string): JsonSchema {
  const statuses = [...new Set([...impliedProblems(spec), ...(spec.problems ?? [])])].sort();
  const responses: Record<string, JsonSchema> = {
    [spec.success.status]: {
      description: spec.success.description,
      ...(spec.success.schema ? { content: { 'application/json': { schema: spec.success.schema } } } : {}),
    },
  };
  for (const status of statuses) responses[status] = { description: REASONS[status] ?? 'Problem', content: { 'application/problem+json': { schema: ref('Problem') } } };
  const body = spec.body && jsonSchemaOf(spec.body);
  return {
    operationId: `${spec.method}${spec.path.replace(/^\/(api\/v1|webhooks)/, '').replace(/[^A-Za-z0-9]+(\w?)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [tag],
    security: securityOf(spec),
    parameters: parametersOf(spec),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
}

export const V1 = '/api/v1';

/** Success answers, the four the API uses. */
export const ok = (description: string, schema?: JsonSchema) => ({ status: 200, description, schema });
export const created = (description: string, schema?: JsonSchema) => ({ status: 201, description, schema });
export const accepted = (description: string, schema?: JsonSchema) => ({ status: 202, description, schema });
export const noContent = (description: string) => ({ status: 204, description });
