import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { TEMPORAL_TEST_SERVER_BIN } from '../../../embedded-temporal/testing.ts';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { BookingActivities } from '../../../activities/bookings/types.ts';
import type { JobActivities } from '../../../activities/jobs/types.ts';
import type { StoreActivities } from '../../../activities/stores/types.ts';
import type { CalendarActivities } from '../../../activities/calendars/refresh-feeds.ts';
import { planFires } from '../../../activities/jobs/plan-fires.ts';
import { workflowOutcomeSinks } from '../../../workers/worker-metrics.ts';
import { cronDefinition } from '../../support/cron-definition.ts';
import { windowThrough } from '../../support/fire-window.ts';
import type { Actor } from '../../../domain/bookings/lifecycle.ts';
import {
  acceptRescheduleUpdate,
  acceptUpdate,
  cancelUpdate,
  completeUpdate,
  confirmUpdate,
  proposeRescheduleUpdate,
  startUpdate,
} from '../../../workflows/booking/definitions.ts';
import { deleteSignal, pauseSignal, resumeSignal, triggerNowSignal, type CronJobDefinition } from '../../../workflows/cron-job/definitions.ts';
import { backfillSignal, disconnectSignal, webhookEventsSignal } from '../../../workflows/store-ingestion/definitions.ts';
import type { bookingWorkflow } from '../../../workflows/booking/workflow.ts';
import type { cronJobWorkflow } from '../../../workflows/cron-job/workflow.ts';
import type { storeIngestionWorkflow } from '../../../workflows/store-ingestion/workflow.ts';
import type { calendarSyncWorkflow } from '../../../workflows/calendar-sync/workflow.ts';
import { refreshNowSignal } from '../../../workflows/calendar-sync/definitions.ts';

/**
 * One run of each actor down a path that uses most of what it does (updates, signals, timers,
 * activities, its end), against activities that only answer. Used to record the histories that
 * replay.test.ts replays: in the test itself, and by scripts/record-histories.ts into JSON files.
 */
export interface RecordedHistory extends HistoryAndWorkflowId {
  /** Names the scenario; the recorded file is `<name>.json`. */
  name: string;
  history: temporal.api.history.v1.IHistory;
}

/**
 * A history as the Temporal UI and `temporal workflow show --output json` write it, through the
 * SDK's own converters: what a developer downloads from production replays here unchanged.
 */
export function historyToJson(history: temporal.api.history.v1.IHistory): string {
  return `${historyToJSON(history as temporal.api.history.v1.History)}\n`;
}

export function historyFromJson(text: string): temporal.api.history.v1.IHistory {
  return historyFromJSON(JSON.parse(text));
}

const TASK_QUEUE = 'replay-recording';
const HOUR = 3_600_000;
const customer: Actor = { role: 'customer', userId: '11' };
const provider: Actor = { role: 'provider', userId: '22' };

const bookingActivities: BookingActivities = {
  async recordBookingTransition() {},
  async sendBookingReminder() {},
  async recordRescheduleStep() {
    return true;
  },
};

function jobActivities(definition: CronJobDefinition, cursor: string): JobActivities {
  let executions = 0;
  const runJobAttempt: JobActivities['runJobAttempt'] = async () => ({ outcome: 'success', executionId: ++executions, statusCode: 200, retryAfter: null, error: null });
  return {
    planFires,
    loadCronJob: async () => ({ definition, cursor, consecutiveFailures: 0 }),
    runJobAttempt,
    runJobWindow: windowThrough(runJobAttempt),
    async interruptJobWindow() {},
    async recordPendingAttempt() {},
    async recordUnrunFires() {},
    finishJobRun: async () => ({ consecutiveFailures: 0, disabled: false, notify: null }),
    async notifyJobOwners() {},
  };
}

const storeActivities: StoreActivities = {
  applyStoreEvents: async ({ eventIds }) => ({ applied: eventIds.length, stale: 0, ignored: 0, failed: 0, storeDeleted: false }),
  holdIngestWindow: async () => ({ applied: 1, storeDeleted: false }),
  startStoreBackfill: async () => ({ backfillId: 1, since: '2026-01-01T00:00:00.000Z' }),
  loadBackfillPage: async ({ page }) => ({ next: page < 2 ? `page-${page + 1}` : null, waitMs: 0, throttled: false, orders: 3, storeDeleted: false }),
  async finishStoreBackfill() {},
  reconcileStore: async () => ({ missed: 0, strandedEventIds: [], storeDeleted: false }),
  registerStoreWebhooks: async () => ({ created: 0, storeDeleted: false }),
};

/** A feed that works, fails once, recovers, and is then removed (no feeds left: the actor ends). */
function calendarActivities(): CalendarActivities {
  const answers = [
    { feeds: 1, failed: [] },
    { feeds: 1, failed: [{ feedId: 1, error: 'the calendar answered HTTP 503' }] },
    { feeds: 1, failed: [] },
    { feeds: 0, failed: [] },
  ];
  let call = 0;
  return { refreshCalendarFeeds: async () => answers[Math.min(call++, answers.length - 1)] };
}

/**
 * Where the scenarios run: embedded-temporal's time-skipping server, even when TEMPORAL_ADDRESS names
 * a real server. A history replays the same whichever server wrote it, and only this one skips the
 * scenarios' hours of timers in a moment.
 */
export function recordingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER_BIN } } });
}

/** Runs every scenario on `env` (time skipping) and returns their histories. */
export async function recordActorHistories(env: TestWorkflowEnvironment, workflowBundle: WorkflowBundle): Promise<RecordedHistory[]> {
  const stamp = await env.currentTimeMs();
  const jobDefinition = cronDefinition(1);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle,
    sinks: workflowOutcomeSinks,
    activities: { ...bookingActivities, ...jobActivities(jobDefinition, new Date(stamp).toISOString()), ...storeActivities, ...calendarActivities() },
  });
  return worker.runUntil(async () => {
    const recorded: RecordedHistory[] = [];
    const keep = async (name: string, workflowId: string) => {
      recorded.push({ name, workflowId, history: await env.client.workflow.getHandle(workflowId).fetchHistory() });
    };
    const bookingInput = (bookingId: string, now: number) => ({
      bookingId,
      customerId: customer.userId!,
      providerId: provider.userId!,
      // Far enough ahead for the provider to answer (an hour before the start at the latest).
      startsAt: new Date(now + 2 * HOUR).toISOString(),
      endsAt: new Date(now + 3 * HOUR).toISOString(),
      holdExpiresAt: new Date(now + 10 * 60_000).toISOString(),
      responseSlaMinutes: 24 * 60,
    });

    // A booking from hold to completed: every update the happy path takes.
    let now = await env.currentTimeMs();
    const completed = await env.client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
      workflowId: `booking-replay-completed-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [bookingInput('1', now)],
    });
    await completed.executeUpdate(confirmUpdate, { args: [{ actor: customer, note: 'Side door' }] });
    await completed.executeUpdate(acceptUpdate, { args: [{ actor: provider }] });
    // Work may start at most 30 minutes ahead.
    await env.sleep('100 minutes');
    await completed.executeUpdate(startUpdate, { args: [{ actor: provider }] });
    await completed.executeUpdate(completeUpdate, { args: [{ actor: provider }] });
    await completed.result();
    await keep('booking-completed', completed.workflowId);

    // A hold nobody confirms: the expiry timer ends it.
    now = await env.currentTimeMs();
    const expired = await env.client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
      workflowId: `booking-replay-expired-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [bookingInput('2', now)],
    });
    await env.sleep('11 minutes');
    await expired.result();
    await keep('booking-expired', expired.workflowId);

    // A request the provider lets lapse: the answer deadline declines it.
    now = await env.currentTimeMs();
    const autoDeclined = await env.client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
      workflowId: `booking-replay-auto-declined-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [{ ...bookingInput('4', now), responseSlaMinutes: 30 }],
    });
    await autoDeclined.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
    await env.sleep('31 minutes');
    await autoDeclined.result();
    await keep('booking-auto-declined', autoDeclined.workflowId);

    // A booking accepted at once, moved by the customer's proposal, then a provider's proposal lapses, then canceled.
    now = await env.currentTimeMs();
    const rescheduled = await env.client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
      workflowId: `booking-replay-rescheduled-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [{ ...bookingInput('3', now), startsAt: new Date(now + 72 * HOUR).toISOString(), endsAt: new Date(now + 73 * HOUR).toISOString(), autoAccept: true }],
    });
    const newTime = (hours: number) => ({ startsAt: new Date(now + hours * HOUR).toISOString(), endsAt: new Date(now + (hours + 1) * HOUR).toISOString(), slotOpen: true });
    await rescheduled.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
    await rescheduled.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...newTime(74) }] });
    await rescheduled.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: provider }] });
    await rescheduled.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: provider, ...newTime(76) }] });
    await env.sleep('25 hours');
    await rescheduled.executeUpdate(cancelUpdate, { args: [{ actor: customer }] });
    await rescheduled.result();
    await keep('booking-rescheduled', rescheduled.workflowId);

    // A cron job firing on schedule for an hour, paused, resumed, triggered by hand, then deleted.
    const job = await env.client.workflow.start<typeof cronJobWorkflow>('cronJobWorkflow', {
      workflowId: `cron-job-replay-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [{ jobId: jobDefinition.jobId }],
    });
    await env.sleep(HOUR);
    await job.signal(pauseSignal, { revision: 1 });
    await job.signal(resumeSignal, { revision: 2 });
    await job.signal(triggerNowSignal, { runId: 'replay-manual-run' });
    await env.sleep('1 minute');
    await job.signal(deleteSignal);
    await job.result();
    await keep('cron-job-lifecycle', job.workflowId);

    // A store taking webhooks, a two-page backfill and a reconcile, then disconnected.
    const store = await env.client.workflow.start<typeof storeIngestionWorkflow>('storeIngestionWorkflow', {
      workflowId: `store-replay-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [{ storeId: 1, reconcileEveryMinutes: 15 }],
    });
    await store.signal(webhookEventsSignal, { eventIds: [1, 2, 3] });
    await store.signal(backfillSignal, { days: 7 });
    await env.sleep('20 minutes');
    await store.signal(webhookEventsSignal, { eventIds: [4] });
    await env.sleep('1 minute');
    await store.signal(disconnectSignal);
    await store.result();
    await keep('store-ingestion', store.workflowId);

    // A provider's calendars: read at once, on the timer (failing), after the backoff, then on request with no feed left.
    const calendar = await env.client.workflow.start<typeof calendarSyncWorkflow>('calendarSyncWorkflow', {
      workflowId: `calendar-replay-${stamp}`,
      taskQueue: TASK_QUEUE,
      args: [{ providerId: 1, refreshEveryMinutes: 15 }],
    });
    await env.sleep('16 minutes');
    await env.sleep('2 minutes');
    await calendar.signal(refreshNowSignal);
    await calendar.result();
    await keep('calendar-sync', calendar.workflowId);

    return recorded;
  });
}
