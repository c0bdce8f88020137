import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { requestContext } from '../../runtime/request-id.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';

/** Stable problem types: clients switch on `type`, people read `title` and `detail`. */
export const PROBLEM_BASE = 'https://pulseboard.dev/problems/';

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  body(instance?: string): Record<string, unknown> {
    return { type: PROBLEM_BASE + this.slug, title: this.title, status: this.status, detail: this.detail, instance, ...this.extensions };
  }
}

export const badRequest = (detail: string, extensions?: Record<string, unknown>) => new Problem(400, 'bad-request', 'Bad request', detail, extensions);
export const unauthorized = (detail = 'Sign in or send a valid API key.') => new Problem(401, 'unauthorized', 'Unauthorized', detail);
export const forbidden = (detail = 'You may not do this.') => new Problem(403, 'forbidden', 'Forbidden', detail);
export const notFound = (detail = 'Nothing is here.') => new Problem(404, 'not-found', 'Not found', detail);
export const conflict = (detail: string, extensions?: Record<string, unknown>) => new Problem(409, 'conflict', 'Conflict', detail, extensions);
/** The organization's plan allows no more of `what` (jobs, stores): 402, the same for every limit. */
export const planLimit = (what: string, detail: string, extensions?: Record<string, unknown>) => new Problem(402, `plan-limit-${what}`, 'Plan limit reached', detail, extensions);

/** A part we depend on that is down is usually back within seconds: when a client may try again. */
const RETRY_AFTER_SECONDS = 5;

/** One type for "a part we depend on is down, try again": the workflow service, mostly. */
export const serviceUnavailable = (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail, {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) });

export function validationProblem(error: ZodError): Problem {
  return invalidInput(error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

/** 422 naming each field that is wrong, for checks a schema cannot make (they need the time, or the database). */
export function invalidInput(errors: Array<{ path: string; message: string }>): Problem {
  return new Problem(422, 'validation', 'Invalid input', errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), { errors });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`No route for ${req.method} ${req.originalUrl.split("?")[0]}.`));
};

/** Turns anything thrown into application/problem+json; unknown errors are logged, never shown. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = loggedProblem(log, error, req.method, req.path);
    if (res.headersSent) return;
    res.status(problem.status).set(problem.headers).type('application/problem+json').send(JSON.stringify(problem.body(req.originalUrl)));
  };
}

/** problemHandler's answer, for the handlers that answer before Express on plain node responses. */
export function sendProblem(log: Logger, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const url = req.url ?? '/';
  const problem = loggedProblem(log, error, req.method, url.split('?')[0]);
  if (res.headersSent) return;
  const body = JSON.stringify(problem.body(url));
  res.writeHead(problem.status, { ...problem.headers, 'content-type': 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function loggedProblem(log: Logger, error: unknown, method: string | undefined, path: string): Problem {
  const problem = toProblem(error);
  // The request's own logger carries its id, so the failure can be found beside its request line.
  if (problem.status >= 500) (requestContext()?.log ?? log).error({ err: error, method, path }, 'request failed');
  return problem;
}

function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof ZodError) return validationProblem(error);
  if (isDatabaseUnavailable(error)) return serviceUnavailable('The database is not reachable; try again shortly.');
  const status = (error as { status?: number; type?: string }).status;
  const bodyParserType = (error as { type?: string }).type;
  if (bodyParserType === 'entity.parse.failed') return badRequest('The request body is not valid JSON.');
  if (bodyParserType === 'entity.too.large') return new Problem(413, 'too-large', 'Payload too large', 'The request body is too large.');
  if (bodyParserType === 'encoding.unsupported' || bodyParserType === 'charset.unsupported') return new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'The body encoding is not supported.');
  if (typeof status === 'number' && status >= 400 && status < 500) return new Problem(status, 'bad-request', 'Bad request', 'The request could not be read.');
  return new Problem(500, 'internal', 'Internal error', 'Something went wrong on our side. It has been logged.');
}
