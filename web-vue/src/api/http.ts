/**
 * The one way the app talks HTTP to the API: JSON in and out, the session cookie,
 * the CSRF header on writes, and Problem Details turned into a typed ApiProblem.
 */

const PROBLEM_BASE = 'https://pulseboard.dev/problems/';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface FieldError {
  path: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    /** The problem's slug, e.g. `validation`, `invalid-credentials`, `csrf`, `network`. */
    readonly kind: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }

  /** The message for one form field, matched on the `path` the server reports. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }

  /** Errors no field on the form claims, so they can be shown above it. */
  otherErrors(fieldPaths: string[]): FieldError[] {
    return this.errors.filter((e) => !fieldPaths.includes(e.path));
  }
}

export function isProblem(error: unknown, kindOrStatus?: string | number): error is ApiProblem {
  if (!(error instanceof ApiProblem)) return false;
  if (kindOrStatus === undefined) return true;
  return typeof kindOrStatus === 'number' ? error.status === kindOrStatus : error.kind === kindOrStatus;
}

let onUnauthorized: (() => void) | undefined;

/** Called when a request that was expected to be signed in comes back 401 (session ended). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function readCookie(name: string): string | undefined {
  const pair = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return pair ? decodeURIComponent(pair.slice(name.length + 1)) : undefined;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (STATE_CHANGING.has(method)) {
    const csrf = readCookie('pb_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, 'network', 'Cannot reach Pulseboard', 'Check your connection and try again.');
  }
  if (response.status === 401) onUnauthorized?.();
  if (!response.ok) throw await toProblem(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function toProblem(response: Response): Promise<ApiProblem> {
  const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
  let body: Record<string, unknown> = {};
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page, or an empty body: fall back to the status line.
  }
  const type = typeof body.type === 'string' ? body.type : '';
  const errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
  return new ApiProblem(
    response.status,
    type.startsWith(PROBLEM_BASE) ? type.slice(PROBLEM_BASE.length) : type || `http-${response.status}`,
    typeof body.title === 'string' ? body.title : response.statusText || 'Request failed',
    typeof body.detail === 'string' ? body.detail : undefined,
    errors,
    retryAfter,
  );
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};
