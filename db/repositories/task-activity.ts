import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { ActivityKind, ActivityView } from '../../domain/board/views.ts';

type Conn = Db | Knex.Transaction;

/** Writes a log line in the transaction of the change it records, so the log never claims what did not commit. */
export async function recordActivity(trx: Knex.Transaction, taskId: number, actorId: number | null, kind: Exclude<ActivityKind, 'booking'>, detail: Record<string, unknown> = {}): Promise<void> {
  await trx('task_activity').insert({ task_id: taskId, actor_id: actorId, kind, detail });
}

/**
 * A card's log, newest first: its own lines and, for a booking's card, the booking's transitions
 * (accepted, started, completed …) with who made them, read where the booking actor wrote them.
 */
export async function listActivity(db: Conn, taskId: number, limit = 200): Promise<ActivityView[]> {
  const { rows } = await db.raw(
    `select * from (
       select a.kind, a.actor_id, u.name as actor_name, a.detail, a.at
       from task_activity a left join users u on u.id = a.actor_id where a.task_id = :taskId
       union all
       select 'booking', e.actor_id, u.name, jsonb_build_object('action', e.action, 'from', e.from_state, 'to', e.to_state, 'role', e.actor_role), e.at
       from tasks t join booking_events e on e.booking_id = t.booking_id left join users u on u.id = e.actor_id where t.id = :taskId
     ) log order by at desc limit :limit`,
    { taskId, limit },
  );
  return rows.map((row: { kind: ActivityKind; actor_id: number | null; actor_name: string | null; detail: Record<string, unknown>; at: Date }) => ({
    kind: row.kind,
    actor: row.actor_id === null ? null : { id: Number(row.actor_id), name: row.actor_name ?? '' },
    detail: row.detail,
    at: row.at.toISOString(),
  }));
}
