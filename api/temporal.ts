import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { ErrorRequestHandler } from 'express';
import { serviceUnavailable } from './http/problem.ts';
import { watchReachability } from './temporal-monitor.ts';
import { installQuietRuntime } from '../runtime/temporal-runtime.ts';
import { workflowStartInterceptor } from '../runtime/workflow-start-interceptor.ts';
import { nativeConnectionOptions } from '../runtime/temporal-connection.ts';

export interface TemporalGateway {
  client: Client;
  address: string;
  namespace: string;
  taskQueue: string;
  /** False from when the frontend stops answering (known within 1.5 s) until it answers again. */
  reachable: () => boolean;
  /** Notes a failed call; true when it failed for want of the frontend, which is then believed down until a probe sees it answer. */
  noteFailure: (error: unknown) => boolean;
  /** Runs `listener` each time the frontend answers again after an outage; answers a function that stops it. */
  onRecovered: (listener: () => void) => () => void;
  close: () => Promise<void>;
}

const UNREACHABLE_MESSAGE = 'The workflow service is not reachable; try again shortly.';

export async function connectTemporal(address: string, namespace: string, taskQueue: string): Promise<TemporalGateway> {
  // The SDK's native (Rust) connection: each call costs a fraction of the CPU of grpc-js in this
  // process, which answers webhooks and holds while it talks to Temporal.
  installQuietRuntime();
  const connection = await NativeConnection.connect(nativeConnectionOptions(address));
  // Every start from this process is counted and carries its request's id (see the interceptor).
  const client = new Client({ connection, namespace, interceptors: { workflow: [workflowStartInterceptor] } });
  const probe = probeConnection(address);
  const reachability = watchReachability((deadlineMs) =>
    probe.withDeadline(Date.now() + deadlineMs, () => probe.workflowService.getSystemInfo({})).then(
      () => true,
      () => false,
    ),
  );
  return {
    client,
    address,
    namespace,
    taskQueue,
    reachable: reachability.reachable,
    noteFailure(error) {
      if (!isUnreachableError(error)) return false;
      reachability.markUnreachable();
      return true;
    },
    onRecovered: reachability.onRecovered,
    async close() {
      reachability.stop();
      await probe.close();
      await connection.close();
    },
  };
}

/**
 * The probe's own connection, on grpc-js: the native one retries an unanswered call for about ten
 * seconds whatever its deadline, where a probe must give up at its deadline. No retries, and
 * reconnection attempts at most a second apart (grpc-js would back off to two minutes), so a
 * frontend that is back is seen at the next probe.
 */
function probeConnection(address: string): Connection {
  return Connection.lazy({
    address,
    interceptors: [],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 1_000 },
  });
}

/** gRPC status codes of a call that never reached an answer. */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** Whether a call failed because the frontend could not be reached (the SDK wraps the gRPC error as its cause). */
export function isUnreachableError(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === UNAVAILABLE || e.code === DEADLINE_EXCEEDED) return true;
  }
  return false;
}

/**
 * The process's Temporal connection, or a 503 at once for a route that needs it when it has none
 * or the frontend is known to be down (no request waits out the SDK's retries then).
 */
export function requireTemporal(ctx: { temporal: TemporalGateway | null }, detail = UNREACHABLE_MESSAGE): TemporalGateway {
  if (!ctx.temporal || !ctx.temporal.reachable()) throw serviceUnavailable(detail);
  return ctx.temporal;
}

/** A route's Temporal call that failed for want of the frontend answers 503, not 500, and later requests fail fast. */
export function temporalOutageHandler(ctx: { temporal: TemporalGateway | null }): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    next(ctx.temporal?.noteFailure(error) ? serviceUnavailable(UNREACHABLE_MESSAGE) : error);
  };
}
