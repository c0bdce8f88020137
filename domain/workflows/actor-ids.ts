/**
 * Each actor's workflow id names the record it runs for (DESIGN.md's actors table):
 * `booking-<id>`, `cron-job-<id>`, `store-<id>`, `calendar-<providerId>`.
 */
export type ActorEntityKind = 'booking' | 'job' | 'store' | 'calendar';

const PREFIXES: ReadonlyArray<[string, ActorEntityKind]> = [
  ['booking-', 'booking'],
  ['cron-job-', 'job'],
  ['store-', 'store'],
  ['calendar-', 'calendar'],
];

export interface ActorEntityRef {
  kind: ActorEntityKind;
  id: number;
}

export function actorEntityOf(workflowId: string): ActorEntityRef | null {
  for (const [prefix, kind] of PREFIXES) {
    if (!workflowId.startsWith(prefix)) continue;
    const id = workflowId.slice(prefix.length);
    return /^[1-9]\d{0,15}$/.test(id) ? { kind, id: Number(id) } : null;
  }
  return null;
}

export function workflowIdOf(entity: ActorEntityRef): string {
  return `${PREFIXES.find(([, kind]) => kind === entity.kind)![0]}${entity.id}`;
}
