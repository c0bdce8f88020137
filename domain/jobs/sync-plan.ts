import { DEFINITION_FIELDS, type DefinitionField, type JobInput } from './job-definition.ts';

export type SyncAction = 'created' | 'updated' | 'deleted' | 'unchanged';
export type FieldChanges = Partial<Record<DefinitionField, { from: unknown; to: unknown }>>;

export interface SyncStep {
  key: string;
  action: SyncAction;
  changes: FieldChanges;
  /** The definition to write: absent for deleted and unchanged. */
  definition?: JobInput;
}

/**
 * What PUT /sync does to make the organization's jobs match `desired`: each desired job is created
 * or updated by key (or left alone when equal), and with `deleteMissing` every other job goes.
 * Pure, so the same lists always give the same plan: a repeated sync is all `unchanged`.
 */
export function planSync(existing: readonly JobInput[], desired: readonly JobInput[], deleteMissing: boolean): SyncStep[] {
  const byKey = new Map(existing.map((job) => [job.key, job]));
  const steps: SyncStep[] = desired.map((job) => {
    const current = byKey.get(job.key);
    if (!current) return { key: job.key, action: 'created', changes: diffDefinitions(null, job), definition: job };
    const changes = diffDefinitions(current, job);
    return Object.keys(changes).length ? { key: job.key, action: 'updated', changes, definition: job } : { key: job.key, action: 'unchanged', changes };
  });
  if (deleteMissing) {
    const wanted = new Set(desired.map((job) => job.key));
    for (const job of existing) if (!wanted.has(job.key)) steps.push({ key: job.key, action: 'deleted', changes: diffDefinitions(job, null) });
  }
  return steps;
}

/** The fields that differ, `null` standing for a side that does not exist. */
export function diffDefinitions(from: JobInput | null, to: JobInput | null): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of DEFINITION_FIELDS) {
    const before = from ? from[field] : null;
    const after = to ? to[field] : null;
    if (canonical(before) !== canonical(after)) changes[field] = { from: before, to: after };
  }
  return changes;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
