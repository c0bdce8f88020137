import type { Request } from 'express';
import type { AppContext } from '../context.ts';
import { insertAuditEvent, type AuditEventInput } from '../../db/repositories/audit.ts';

/** Records a security event or admin action with who did it and from where. */
export async function audit(ctx: AppContext, req: Request, event: Omit<AuditEventInput, 'ip'>): Promise<void> {
  const actor = req.principal?.kind === 'user' ? req.principal.user : undefined;
  await insertAuditEvent(ctx.db, { actorId: actor?.id, actorEmail: actor?.email, ...event, ip: req.ip ?? null });
}
