import { bookingWorkflowId } from '../../../workflows/booking/definitions.ts';
import { calendarWorkflowId } from '../../../workflows/calendar-sync/definitions.ts';
import { cronJobWorkflowId } from '../../../workflows/cron-job/definitions.ts';
import { storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';
import type { ActorEntityKind, ActorEntityRef } from '../../../domain/inspector/views.ts';

/** Each actor's workflow id names the record it runs for; the ids are the actors' own definitions. */
const WORKFLOW_IDS: Record<ActorEntityKind, (id: string) => string> = {
  booking: bookingWorkflowId,
  job: cronJobWorkflowId,
  store: storeWorkflowId,
  calendar: calendarWorkflowId,
};

export function actorEntityOf(workflowId: string): ActorEntityRef | null {
  for (const [kind, idOf] of Object.entries(WORKFLOW_IDS) as Array<[ActorEntityKind, (id: string) => string]>) {
    const prefix = idOf('');
    if (!workflowId.startsWith(prefix)) continue;
    const id = workflowId.slice(prefix.length);
    return /^[1-9]\d{0,15}$/.test(id) ? { kind, id: Number(id) } : null;
  }
  return null;
}

export function workflowIdOf(entity: ActorEntityRef): string {
  return WORKFLOW_IDS[entity.kind](String(entity.id));
}
