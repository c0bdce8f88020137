import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus series Pulseboard exports, in one registry per process. The API serves it at
 * GET /metrics; a standalone worker serves it on its own port. Other modules report through the
 * small functions below, so none of them imports prom-client.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'pulseboard_' });

const httpDuration = new Histogram({
  name: 'pulseboard_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Each API process's relay registers how many sockets it holds; the gauge sums them when scraped. */
const socketCounts = new Set<() => number>();
new Gauge({
  name: 'pulseboard_websocket_clients',
  help: 'WebSocket clients connected to the relay of this process.',
  registers: [metricsRegistry],
  collect() {
    let total = 0;
    for (const count of socketCounts) total += count();
    this.set(total);
  },
});

const relayLag = new Histogram({
  name: 'pulseboard_relay_lag_seconds',
  help: 'From an event being published to the relay fanning it out to its sockets.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

const workflowStarts = new Counter({
  name: 'pulseboard_workflow_starts_total',
  help: 'Workflow starts (start or signal-with-start) asked for by this process, by workflow type.',
  labelNames: ['workflow_type'] as const,
  registers: [metricsRegistry],
});

const workflowCompletions = new Counter({
  name: 'pulseboard_workflow_completions_total',
  help: 'Workflow runs this worker completed, by workflow type.',
  labelNames: ['workflow_type'] as const,
  registers: [metricsRegistry],
});

const workflowFailures = new Counter({
  name: 'pulseboard_workflow_failures_total',
  help: 'Workflow runs this worker ended in failure or cancellation, by workflow type.',
  labelNames: ['workflow_type', 'cause'] as const,
  registers: [metricsRegistry],
});

const activityRetries = new Counter({
  name: 'pulseboard_activity_retries_total',
  help: 'Activity attempts after the first, by activity type.',
  labelNames: ['activity_type'] as const,
  registers: [metricsRegistry],
});

const webhookIngest = new Counter({
  name: 'pulseboard_webhook_ingest_total',
  help: 'Store webhook deliveries accepted, by platform and outcome (received, ignored, duplicate).',
  labelNames: ['platform', 'outcome'] as const,
  registers: [metricsRegistry],
});

const cronLateness = new Histogram({
  name: 'pulseboard_cron_lateness_seconds',
  help: 'How long after its scheduled time a cron fire sent its first attempt.',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpDuration.observe({ method, route, status: String(status) }, seconds);
}

/** Returns the function that stops counting this relay (when it closes). */
export function trackWebSocketClients(count: () => number): () => void {
  socketCounts.add(count);
  return () => socketCounts.delete(count);
}

export function observeRelayLag(publishedAtMs: number): void {
  relayLag.observe(Math.max(0, Date.now() - publishedAtMs) / 1000);
}

export function countWorkflowStart(workflowType: string): void {
  workflowStarts.inc({ workflow_type: workflowType });
}

export function countWorkflowCompletion(workflowType: string): void {
  workflowCompletions.inc({ workflow_type: workflowType });
}

export function countWorkflowFailure(workflowType: string, cause: 'error' | 'canceled'): void {
  workflowFailures.inc({ workflow_type: workflowType, cause });
}

export function countActivityRetry(activityType: string): void {
  activityRetries.inc({ activity_type: activityType });
}

export function countWebhookIngest(platform: string, outcome: 'received' | 'ignored' | 'duplicate'): void {
  webhookIngest.inc({ platform, outcome });
}

/** Called by the cron-job attempt activity; only a scheduled fire's first attempt has a lateness. */
export function observeCronFire(fire: { attempt: number; trigger: string; scheduledFor: string }): void {
  if (fire.attempt !== 1 || fire.trigger !== 'schedule') return;
  cronLateness.observe(Math.max(0, Date.now() - Date.parse(fire.scheduledFor)) / 1000);
}
