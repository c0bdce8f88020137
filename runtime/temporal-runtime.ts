import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * The SDK's process-wide runtime, quiet (it logs every worker state change at INFO) and without
 * signal handlers of its own: the process's shutdown stops each worker in its turn. Whoever asks
 * first in a process sets it; later calls keep it.
 */
export function installQuietRuntime(level: LogLevel = 'WARN', metricsAddress?: string): void {
  if (installed) return;
  installed = true;
  try {
    // The SDK's metrics (every RPC by name: heartbeats, workflow tasks) only where asked for.
    const telemetryOptions = metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : undefined;
    Runtime.install({ logger: new DefaultLogger(level), shutdownSignals: [], telemetryOptions });
  } catch {
    // The SDK made its default runtime already (a connection came first): keep it.
  }
}
