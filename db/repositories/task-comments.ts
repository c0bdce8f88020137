import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { CommentView } from '../../domain/board/views.ts';

type Conn = Db | Knex.Transaction;

const commentQuery = (db: Conn) =>
  db('task_comments as m').leftJoin('users as u', 'u.id', 'm.author_id').select('m.id', 'm.task_id', 'm.author_id', 'u.name as author_name', 'm.body', 'm.created_at');

const toView = (row: { id: number; task_id: number; author_id: number | null; author_name: string | null; body: string; created_at: Date }): CommentView => ({
  id: row.id,
  taskId: row.task_id,
  author: row.author_id === null ? null : { id: row.author_id, name: row.author_name ?? '' },
  body: row.body,
  createdAt: row.created_at.toISOString(),
});

/** A card's comments, oldest first, as a conversation reads. */
export async function listComments(db: Conn, taskId: number): Promise<CommentView[]> {
  return (await commentQuery(db).where('m.task_id', taskId).orderBy('m.id')).map(toView);
}

export async function insertComment(trx: Knex.Transaction, taskId: number, authorId: number, body: string): Promise<CommentView> {
  const [{ id }] = await trx('task_comments').insert({ task_id: taskId, author_id: authorId, body }).returning('id');
  return toView(await commentQuery(trx).where('m.id', id).first());
}
