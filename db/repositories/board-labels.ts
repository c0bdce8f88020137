import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { LabelView } from '../../domain/board/views.ts';

type Conn = Db | Knex.Transaction;

const toView = (row: { id: number; board_id: number; name: string; color: LabelView['color'] }): LabelView => ({ id: row.id, boardId: row.board_id, name: row.name, color: row.color });

export async function listLabels(db: Conn, boardId: number): Promise<LabelView[]> {
  return (await db('board_labels').where({ board_id: boardId }).orderByRaw('lower(name), id')).map(toView);
}

export async function findLabel(db: Conn, id: number): Promise<LabelView | undefined> {
  const row = await db('board_labels').where({ id }).first();
  return row && toView(row);
}

/** Undefined when the board has a label of that name already. */
export async function insertLabel(trx: Knex.Transaction, boardId: number, label: { name: string; color: LabelView['color'] }): Promise<LabelView | undefined> {
  const [row] = await trx('board_labels').insert({ board_id: boardId, ...label }).onConflict(['board_id', 'name']).ignore().returning('*');
  return row && toView(row);
}

/** A card saved with a label the board does not list yet adds it to the list, so the list is every label in use. */
export async function ensureLabels(trx: Knex.Transaction, boardId: number, names: string[]): Promise<void> {
  if (names.length) await trx('board_labels').insert(names.map((name) => ({ board_id: boardId, name }))).onConflict(['board_id', 'name']).ignore();
}

/** Renames or recolours; a new name is carried onto the board's cards. Undefined when the name is taken. */
export async function updateLabel(trx: Knex.Transaction, label: LabelView, changes: { name?: string; color?: LabelView['color'] }): Promise<LabelView | undefined> {
  if (changes.name !== undefined && changes.name !== label.name) {
    if (await trx('board_labels').where({ board_id: label.boardId, name: changes.name }).first('id')) return undefined;
    await trx.raw('update tasks set labels = array_replace(labels, ?, ?), version = version + 1, updated_at = now() where board_id = ? and ? = any(labels)', [label.name, changes.name, label.boardId, label.name]);
  }
  const [row] = await trx('board_labels').where({ id: label.id }).update(changes).returning('*');
  return toView(row);
}

export async function deleteLabel(trx: Knex.Transaction, label: LabelView): Promise<void> {
  await trx.raw('update tasks set labels = array_remove(labels, ?), version = version + 1, updated_at = now() where board_id = ? and ? = any(labels)', [label.name, label.boardId, label.name]);
  await trx('board_labels').where({ id: label.id }).delete();
}
