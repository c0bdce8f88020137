import { WORKFLOW_KINDS, type WorkflowKind } from '../../../domain/inspector/views.ts';
import { bookingStateQuery } from '../../../workflows/booking/definitions.ts';
import { cronJobStateQuery, definitionChangedSignal, deleteSignal, pauseSignal, resumeSignal, triggerNowSignal } from '../../../workflows/cron-job/definitions.ts';
import { calendarSyncStatusQuery, feedsChangedSignal, refreshNowSignal } from '../../../workflows/calendar-sync/definitions.ts';
import { backfillSignal, disconnectSignal, storeStatusQuery, webhookEventsSignal } from '../../../workflows/store-ingestion/definitions.ts';
import { alertDigestStatusQuery } from '../../../workflows/alert-digest/definitions.ts';


interface KindInfo {
  workflowType: string;
  /** The query that shows the actor's live state, by its definition's name; none for a short-lived one. */
  stateQuery: string | null;
  /** Signals an admin may send from the inspector: the ones the actor defines (bookings take updates only). */
  signals: string[];
}

/** The actors, by the names the inspector uses for them; the definitions are the workflows' own. */
export const KINDS: Record<WorkflowKind, KindInfo> = {
  booking: { workflowType: 'bookingWorkflow', stateQuery: bookingStateQuery.name, signals: [] },
  'cron-job': {
    workflowType: 'cronJobWorkflow',
    stateQuery: cronJobStateQuery.name,
    signals: [pauseSignal.name, resumeSignal.name, triggerNowSignal.name, deleteSignal.name, definitionChangedSignal.name],
  },
  store: {
    workflowType: 'storeIngestionWorkflow',
    stateQuery: storeStatusQuery.name,
    signals: [backfillSignal.name, disconnectSignal.name, webhookEventsSignal.name],
  },
  calendar: { workflowType: 'calendarSyncWorkflow', stateQuery: calendarSyncStatusQuery.name, signals: [refreshNowSignal.name, feedsChangedSignal.name] },
  'alert-digest': { workflowType: 'alertDigestWorkflow', stateQuery: alertDigestStatusQuery.name, signals: [] },
  // A person's replay of failed deliveries: started and awaited by the API, over in seconds.
  replay: { workflowType: 'replayDeliveriesWorkflow', stateQuery: null, signals: [] },
};

export function kindOfType(workflowType: string): WorkflowKind | null {
  return WORKFLOW_KINDS.find((kind) => KINDS[kind].workflowType === workflowType) ?? null;
}
