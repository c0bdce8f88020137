/**
 * The one way out: every HTTP request to an address a customer or a third party gave us (cron
 * targets, notification webhooks, store APIs) is sent here, and nothing else in the app imports
 * undici's request or makes outbound node:http(s) calls (test/unit/net/one-way-out.test.ts keeps
 * it so). The name is resolved, every address checked, the socket connects to a checked address,
 * and redirects are not followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, request, type Dispatcher } from 'undici';
import { addressVerdict, checkUrl, type GuardOptions } from '../domain/net/outbound-guard.ts';

/**
 * The most connections open to one origin (scheme, host and port) at a time; more requests wait
 * for one. Thousands of jobs often share a target and fire at the same second 0: unbounded, each
 * burst opened a connection per request (10,000 handshakes, parsers and buffers at once: ~3× the
 * memory and ~8× the time of reusing 256 kept-alive ones, measured on loopback) and hit the target
 * with all of them. A request's timeout counts from when it is asked, its wait for a connection included.
 */
export const CONNECTIONS_PER_ORIGIN = 256;

/** What is read of an answer unless the request says otherwise: a job's history keeps no more. */
export const RESPONSE_BODY_LIMIT = 64 * 1024;

export interface OutboundRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  /** For the whole exchange, answer body included. */
  timeoutMs: number;
  /** Bytes of the answer's body to read (RESPONSE_BODY_LIMIT unless given); the rest is dropped. */
  maxBodyBytes?: number;
}

export type OutboundResult =
  | { kind: 'response'; statusCode: number; headers: Record<string, string>; body: string; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'network_error'; message: string; durationMs: number }
  /** The outbound guard said no: a private, loopback, link-local or metadata address. */
  | { kind: 'refused'; reason: string; durationMs: number };

class ForbiddenAddressError extends Error {
  readonly code = 'ERR_PULSEBOARD_FORBIDDEN_ADDRESS';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The resolver the HTTP client connects through: every address a name resolves to is checked,
 * and the socket connects to the addresses checked here (no second lookup that DNS rebinding
 * could answer differently). Every redirect would pass here too, but redirects are not followed.
 */
function guardedLookup(options: GuardOptions) {
  return (hostname: string, lookupOptions: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const verdict = addressVerdict(address, options);
        if (verdict.forbidden) return callback(new ForbiddenAddressError(`${hostname} resolves to ${address}: ${verdict.reason}`), []);
      }
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export interface OutboundClient {
  send(request: OutboundRequest): Promise<OutboundResult>;
  close(): Promise<void>;
}

/** Guarded, no redirects, bounded in time and in what it reads. */
export function createOutboundClient(options: GuardOptions): OutboundClient {
  const agent = new Agent({ connect: { lookup: guardedLookup(options) as never }, keepAliveTimeout: 10_000, connections: CONNECTIONS_PER_ORIGIN });
  return {
    async send(outbound) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const checked = checkUrl(outbound.url, options);
      if (!checked.ok) return { kind: 'refused', reason: checked.reason, durationMs: 0 };
      try {
        const response = await request(checked.url, {
          method: outbound.method as Dispatcher.HttpMethod,
          headers: outbound.headers,
          body: outbound.body ?? undefined,
          dispatcher: agent,
          // undici's request never follows redirects: a 3xx is the answer, and fails the attempt.
          signal: AbortSignal.timeout(outbound.timeoutMs),
        });
        const body = await readLimited(response.body, outbound.maxBodyBytes ?? RESPONSE_BODY_LIMIT);
        return { kind: 'response', statusCode: response.statusCode, headers: flattenHeaders(response.headers), body, durationMs: elapsed() };
      } catch (error) {
        const failure = error as Error & { code?: string; cause?: Error & { code?: string } };
        if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return { kind: 'timeout', durationMs: elapsed() };
        const forbidden = [failure, failure.cause].find((e) => e instanceof ForbiddenAddressError);
        if (forbidden) return { kind: 'refused', reason: forbidden.message, durationMs: elapsed() };
        return { kind: 'network_error', message: describeNetworkError(failure), durationMs: elapsed() };
      }
    },
    close: () => agent.close(),
  };
}

/** The first `limit` bytes as text; the rest is not read (the connection is dropped instead). */
async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

function describeNetworkError(error: Error & { code?: string; cause?: Error & { code?: string } }): string {
  const code = error.code ?? error.cause?.code;
  const message = error.cause?.message ?? error.message;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
