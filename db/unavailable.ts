/** Socket errors that mean the database server is not there (stopped, restarting, unreachable). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * SQLSTATEs that say the server cannot serve now rather than that the query is wrong: connection
 * exceptions (class 08), shutting down or starting up (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|53300)$/;

/**
 * True when `error` says PostgreSQL could not be reached or is going away, so the request may work
 * again shortly; false for every error a query itself causes. Looks through AggregateError (Node
 * reports a refused connection to every address of a name as one).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name, message, errors } = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  if (name === 'KnexTimeoutError') return true; // no connection could be had from the pool in time
  if (typeof message === 'string' && /^Connection terminated/.test(message)) return true; // pg, when the server goes away mid-query
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable);
}
