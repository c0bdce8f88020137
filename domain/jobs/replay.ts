/**
 * The body a replay sends. The history keeps the first `excerptLength` characters of what an attempt
 * sent; the job keeps its whole body as it is now. A recorded body shorter than the excerpt is the
 * whole one. A longer one is known only while the job's body still begins with it: then the job's
 * is sent; otherwise the job was edited since and the original cannot be rebuilt, and the replay is
 * refused rather than sending something else under the original's name.
 */
export function replayBody(recorded: string | null, jobBody: string | null, excerptLength: number): { ok: true; body: string | null } | { ok: false; reason: string } {
  if (recorded === null || recorded.length < excerptLength) return { ok: true, body: recorded };
  if (jobBody !== null && jobBody.startsWith(recorded)) return { ok: true, body: jobBody };
  return { ok: false, reason: `The original body was longer than the ${excerptLength.toLocaleString('en')} characters the history keeps, and the job's body has changed since: it cannot be sent again as it was.` };
}
