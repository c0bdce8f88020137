import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { serviceUnavailable } from './http/problem.ts';
import { installQuietRuntime } from '../runtime/temporal-runtime.ts';
import { workflowStartInterceptor } from '../runtime/workflow-start-interceptor.ts';

export interface TemporalGateway {
  client: Client;
  address: string;
  namespace: string;
  taskQueue: string;
  /** True when the frontend answers within the deadline. */
  ping: (timeoutMs?: number) => Promise<boolean>;
  close: () => Promise<void>;
}

export async function connectTemporal(address: string, namespace: string, taskQueue: string): Promise<TemporalGateway> {
  // The SDK's native (Rust) connection: each call costs a fraction of the CPU of grpc-js in this
  // process, which answers webhooks and holds while it talks to Temporal.
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address });
  // Every start from this process is counted and carries its request's id (see the interceptor).
  const client = new Client({ connection, namespace, interceptors: { workflow: [workflowStartInterceptor] } });
  return {
    client,
    address,
    namespace,
    taskQueue,
    async ping(timeoutMs = 1500) {
      try {
        await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
        return true;
      } catch {
        return false;
      }
    },
    close: () => connection.close(),
  };
}

/** The process's Temporal connection, or a 503 for a route that needs it when it has none. */
export function requireTemporal(ctx: { temporal: TemporalGateway | null }, detail = 'The workflow service is not reachable; try again shortly.'): TemporalGateway {
  if (!ctx.temporal) throw serviceUnavailable(detail);
  return ctx.temporal;
}
