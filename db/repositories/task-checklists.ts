import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { ChecklistItemView } from '../../domain/board/views.ts';

type Conn = Db | Knex.Transaction;

const toView = (row: { id: number; task_id: number; text: string; done: boolean }): ChecklistItemView => ({ id: row.id, taskId: row.task_id, text: row.text, done: row.done });

export async function listChecklist(db: Conn, taskId: number): Promise<ChecklistItemView[]> {
  return (await db('task_checklist_items').where({ task_id: taskId }).orderBy('id')).map(toView);
}

export async function findChecklistItem(db: Conn, id: number): Promise<ChecklistItemView | undefined> {
  const row = await db('task_checklist_items').where({ id }).first();
  return row && toView(row);
}

export async function insertChecklistItem(trx: Knex.Transaction, taskId: number, text: string): Promise<ChecklistItemView> {
  const [row] = await trx('task_checklist_items').insert({ task_id: taskId, text }).returning('*');
  return toView(row);
}

export async function updateChecklistItem(trx: Knex.Transaction, id: number, changes: { text?: string; done?: boolean }): Promise<ChecklistItemView> {
  const [row] = await trx('task_checklist_items').where({ id }).update(changes).returning('*');
  return toView(row);
}

export async function deleteChecklistItem(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('task_checklist_items').where({ id }).delete();
}

/** How many items are done of how many: the progress a card's face shows. */
export async function checklistProgress(db: Conn, taskId: number): Promise<{ done: number; total: number }> {
  const row = await db('task_checklist_items').where({ task_id: taskId }).first(db.raw('count(*)::int as total'), db.raw('count(*) filter (where done)::int as done'));
  return { done: row.done, total: row.total };
}
