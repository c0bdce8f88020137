/**
 * The headers a job's request goes out with, before Pulseboard's own (ids, signature): the job's,
 * our User-Agent on every request (a receiver can tell us from other callers, and allow-list us),
 * and `Content-Type: application/json` for a JSON body the job gave no type.
 */
export function requestHeaders(job: { headers: Record<string, string>; body: string | null }, userAgent: string): Record<string, string> {
  const own = Object.entries(job.headers).filter(([name]) => name.toLowerCase() !== 'user-agent');
  const typed = own.some(([name]) => name.toLowerCase() === 'content-type');
  const headers: Record<string, string> = { 'user-agent': userAgent, ...Object.fromEntries(own) };
  if (!typed && job.body !== null && isJsonDocument(job.body)) headers['content-type'] = 'application/json';
  return headers;
}

/** A JSON object or array; a bare number or string is more likely plain text. */
export function isJsonDocument(body: string): boolean {
  if (!/^\s*[[{]/.test(body)) return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
