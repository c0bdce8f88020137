import type { Db } from '../connection.ts';
import { AUDIT_PAGE_SIZE, type AuditQuery } from '../../domain/identity/admin.ts';

export interface AuditEventInput {
  action: string;
  actorId?: number | null;
  actorEmail?: string | null;
  targetType?: string;
  targetId?: string | number;
  organizationId?: number | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEventView {
  id: number;
  at: string;
  actorId: number | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export async function insertAuditEvent(db: Db, event: AuditEventInput): Promise<void> {
  await db('audit_events').insert({
    action: event.action,
    actor_id: event.actorId ?? null,
    actor_email: event.actorEmail ?? null,
    target_type: event.targetType ?? null,
    target_id: event.targetId === undefined ? null : String(event.targetId),
    organization_id: event.organizationId ?? null,
    ip: event.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  });
}

export async function listAuditEvents(db: Db, query: AuditQuery): Promise<{ items: AuditEventView[]; total: number }> {
  const filtered = db('audit_events').modify((q) => {
    if (query.action) q.where({ action: query.action });
    if (query.actorId) q.where({ actor_id: query.actorId });
    if (query.since) q.where('at', '>=', query.since);
    if (query.until) q.where('at', '<', query.until);
  });
  const [{ count }] = await filtered.clone().count<{ count: string }[]>({ count: '*' });
  const rows: AuditRow[] = await filtered
    .clone()
    .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(AUDIT_PAGE_SIZE)
    .offset((query.page - 1) * AUDIT_PAGE_SIZE);
  const items = rows.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    details: row.details,
  }));
  return { items, total: Number(count) };
}
