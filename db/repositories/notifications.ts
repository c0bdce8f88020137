import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { NotificationView } from '../../domain/notifications/views.ts';

export interface NewNotification {
  userId: number;
  kind: string;
  title: string;
  body?: string;
  link?: string;
  /** Makes a retried writer a no-op. */
  idempotencyKey: string;
}

type Row = { id: number; kind: string; title: string; body: string; link: string | null; read_at: Date | null; created_at: Date };

const toView = (row: Row): NotificationView => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  link: row.link,
  read: row.read_at !== null,
  createdAt: row.created_at.toISOString(),
});

/** Answers the notifications actually inserted (a repeated idempotency key inserts nothing). */
export async function insertNotifications(db: Db | Knex.Transaction, list: NewNotification[]): Promise<Array<NotificationView & { userId: number }>> {
  if (!list.length) return [];
  const rows = await db('notifications')
    .insert(list.map((n) => ({ user_id: n.userId, kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null, idempotency_key: n.idempotencyKey })))
    .onConflict('idempotency_key')
    .ignore()
    .returning('*');
  return rows.map((row: Row & { user_id: number }) => ({ ...toView(row), userId: row.user_id }));
}

export async function listNotifications(db: Db, userId: number, options: { unreadOnly: boolean; before?: number; limit: number }): Promise<NotificationView[]> {
  const rows: Row[] = await db('notifications')
    .where({ user_id: userId })
    .modify((q) => {
      if (options.unreadOnly) q.whereNull('read_at');
      if (options.before) q.where('id', '<', options.before);
    })
    .orderBy('id', 'desc')
    .limit(options.limit);
  return rows.map(toView);
}

export async function unreadCount(db: Db | Knex.Transaction, userId: number): Promise<number> {
  return (await unreadCounts(db, [userId])).get(userId)!;
}

/** Several people's unread counts in one query (those with none are 0). */
export async function unreadCounts(db: Db | Knex.Transaction, userIds: number[]): Promise<Map<number, number>> {
  const rows: Array<{ user_id: number; count: string }> = await db('notifications').whereIn('user_id', userIds).whereNull('read_at').groupBy('user_id').select('user_id').count('* as count');
  return new Map(userIds.map((id) => [id, Number(rows.find((row) => Number(row.user_id) === id)?.count ?? 0)]));
}

/** Marks the given ones (or all, when `ids` is 'all') read; answers how many changed. */
export async function markRead(db: Db | Knex.Transaction, userId: number, ids: number[] | 'all'): Promise<number> {
  return db('notifications')
    .where({ user_id: userId })
    .whereNull('read_at')
    .modify((q) => {
      if (ids !== 'all') q.whereIn('id', ids);
    })
    .update({ read_at: db.fn.now() });
}
