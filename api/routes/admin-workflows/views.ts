import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import protos from '@temporalio/proto';
import type { PendingActivityView, TimelineEvent, WorkflowListItem } from '../../../domain/inspector/views.ts';
import { kindOfType } from './kinds.ts';

type Timestamp = { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

// The package is CommonJS: its namespace is read from the default export under plain Node ESM.
const { EventType, PendingActivityState } = protos.temporal.api.enums.v1;

export function listItemOf(info: Omit<WorkflowExecutionInfo, 'raw'>): WorkflowListItem {
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    kind: kindOfType(info.type),
    workflowType: info.type,
    status: info.status.name,
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString() ?? null,
    historyLength: info.historyLength,
  };
}

export function pendingActivitiesOf(description: WorkflowExecutionDescription): PendingActivityView[] {
  return (description.raw.pendingActivities ?? []).map((activity) => ({
    activityId: activity.activityId ?? '',
    activityType: activity.activityType?.name ?? '',
    state: enumName(PendingActivityState, activity.state, 'PENDING_ACTIVITY_STATE_'),
    attempt: activity.attempt ?? 1,
    // Zero means "no limit" in a retry policy.
    maximumAttempts: activity.maximumAttempts || null,
    scheduledAt: isoOf(activity.scheduledTime),
    lastStartedAt: isoOf(activity.lastStartedTime),
    nextAttemptAt: isoOf(activity.nextAttemptScheduleTime),
    lastFailure: activity.lastFailure?.message ?? null,
  }));
}

/** The run's history as a timeline a person can read: times, types and what each event is about. */
export function timelineOf(events: HistoryEvent[]): TimelineEvent[] {
  const activityNames = new Map<number, string>();
  const updateNames = new Map<string, string>();
  return events.map((event) => {
    const type = enumName(EventType, event.eventType, 'EVENT_TYPE_');
    const id = Number(event.eventId ?? 0);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name) activityNames.set(id, scheduled.activityType.name);
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted?.acceptedRequest?.meta?.updateId && accepted.acceptedRequest.input?.name) {
      updateNames.set(accepted.acceptedRequest.meta.updateId, accepted.acceptedRequest.input.name);
    }
    return { id, at: isoOf(event.eventTime), type, detail: detailOf(event, activityNames, updateNames), workflowTask: type.startsWith('WorkflowTask') };
  });
}

function detailOf(event: HistoryEvent, activityNames: Map<number, string>, updateNames: Map<string, string>): string | null {
  const activityOf = (attrs: { scheduledEventId?: unknown }) => activityNames.get(Number(attrs.scheduledEventId)) ?? null;
  const withFailure = (name: string | null, failure: { message?: string | null } | null | undefined) => [name, failure?.message].filter(Boolean).join(': ') || null;
  const e = event;
  if (e.workflowExecutionStartedEventAttributes) return e.workflowExecutionStartedEventAttributes.workflowType?.name ?? null;
  if (e.activityTaskScheduledEventAttributes) return e.activityTaskScheduledEventAttributes.activityType?.name ?? null;
  if (e.activityTaskStartedEventAttributes) return `${activityOf(e.activityTaskStartedEventAttributes)} (attempt ${e.activityTaskStartedEventAttributes.attempt ?? 1})`;
  if (e.activityTaskCompletedEventAttributes) return activityOf(e.activityTaskCompletedEventAttributes);
  if (e.activityTaskFailedEventAttributes) return withFailure(activityOf(e.activityTaskFailedEventAttributes), e.activityTaskFailedEventAttributes.failure);
  if (e.activityTaskTimedOutEventAttributes) return activityOf(e.activityTaskTimedOutEventAttributes);
  if (e.workflowExecutionSignaledEventAttributes) return e.workflowExecutionSignaledEventAttributes.signalName ?? null;
  if (e.workflowExecutionUpdateAcceptedEventAttributes) return e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? null;
  if (e.workflowExecutionUpdateCompletedEventAttributes) return updateNames.get(e.workflowExecutionUpdateCompletedEventAttributes.meta?.updateId ?? '') ?? null;
  if (e.timerStartedEventAttributes) return `fires in ${durationText(e.timerStartedEventAttributes.startToFireTimeout)}`;
  if (e.markerRecordedEventAttributes) return e.markerRecordedEventAttributes.markerName ?? null;
  if (e.workflowExecutionFailedEventAttributes) return withFailure(null, e.workflowExecutionFailedEventAttributes.failure);
  if (e.workflowExecutionCancelRequestedEventAttributes) return e.workflowExecutionCancelRequestedEventAttributes.cause || null;
  return null;
}

function enumName(values: Record<number | string, string | number>, value: unknown, prefix: string): string {
  const name = typeof value === 'number' ? String(values[value] ?? value) : String(value ?? '');
  return name
    .replace(prefix, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _u, letter: string) => letter.toUpperCase());
}

export function isoOf(ts: Timestamp): string | null {
  if (!ts || ts.seconds == null) return null;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function durationText(d: Timestamp): string {
  if (!d || d.seconds == null) return '0 s';
  const seconds = typeof d.seconds === 'number' ? d.seconds : d.seconds.toNumber();
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1).replace(/\.0$/, '')} d`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1).replace(/\.0$/, '')} min`;
  return `${seconds} s`;
}
