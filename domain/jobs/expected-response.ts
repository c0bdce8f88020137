/**
 * What a job calls a successful answer: a status among the chosen codes (2xx unless told), and
 * optionally a body that contains a string, or whose JSON at a path (RFC 9535 JSONPath) equals a
 * value. An answer that falls short fails its attempt with the reason, recorded in the history.
 */
import { z } from 'zod';
import { query } from 'jsonpath-rfc9535';

const STATUS_PATTERN = /^([1-5]xx|[1-5]\d\d(-[1-5]\d\d)?)$/;

const jsonPathSchema = z
  .string()
  .min(2)
  .max(500)
  .refine((path) => {
    try {
      query({}, path);
      return true;
    } catch {
      return false;
    }
  }, 'not a JSONPath expression (RFC 9535), e.g. $.status or $.items[0].ok');

export const expectedResponseSchema = z
  .object({
    /** "2xx", "200", or a range "200-204". */
    statusCodes: z.array(z.string().regex(STATUS_PATTERN, 'a status like 200, a range like 200-204, or a class like 2xx')).min(1).max(20).default(['2xx']),
    bodyContains: z.string().min(1).max(1000).optional(),
    json: z.object({ path: jsonPathSchema, equals: z.union([z.string(), z.number(), z.boolean(), z.null()]) }).strict().optional(),
  })
  .strict();
export type ExpectedResponse = z.infer<typeof expectedResponseSchema>;

export const DEFAULT_EXPECTED_RESPONSE: ExpectedResponse = { statusCodes: ['2xx'] };

function statusMatches(pattern: string, status: number): boolean {
  if (pattern.endsWith('xx')) return Math.floor(status / 100) === Number(pattern[0]);
  const [from, to = from] = pattern.split('-').map(Number);
  return status >= from && status <= to;
}

/** Null when the answer is what the job expects, else why not (for the history and the notification). */
export function unexpectedResponse(expected: ExpectedResponse, answer: { statusCode: number; body: string }): string | null {
  if (!expected.statusCodes.some((pattern) => statusMatches(pattern, answer.statusCode))) {
    return `HTTP ${answer.statusCode}${sameAsDefault(expected) ? '' : `, expected ${expected.statusCodes.join(', ')}`}`;
  }
  if (expected.bodyContains !== undefined && !answer.body.includes(expected.bodyContains)) return `HTTP ${answer.statusCode}, but the body does not contain ${JSON.stringify(expected.bodyContains)}`;
  if (expected.json) {
    let document: unknown;
    try {
      document = JSON.parse(answer.body);
    } catch {
      return `HTTP ${answer.statusCode}, but the body is not JSON (expected ${expected.json.path} = ${JSON.stringify(expected.json.equals)})`;
    }
    const found = query(document as never, expected.json.path);
    if (!found.some((value) => value === expected.json!.equals)) {
      const seen = found.length ? JSON.stringify(found[0]).slice(0, 100) : 'nothing';
      return `HTTP ${answer.statusCode}, but ${expected.json.path} is ${seen}, expected ${JSON.stringify(expected.json.equals)}`;
    }
  }
  return null;
}

const sameAsDefault = (expected: ExpectedResponse) => expected.statusCodes.length === 1 && expected.statusCodes[0] === '2xx';
